package io.consenthub.consent;

import io.consenthub.crypto.KeyRing;

import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * A ledger row as stored: {@code event} without IP, user agent and note, and those three as their
 * ciphertext (base64 Tink AEAD under the contact's key, bound to contact, event id and column).
 * An event with an {@link Evidence.Origin} keeps its origin's IP and user agent as ciphertext too
 * ({@code originIp}, {@code originUserAgent}). The chain's hash covers exactly this form.
 */
record StoredEvent(ConsentEvent event, String ip, String userAgent, String note, String originIp, String originUserAgent) {

    static final String IP = "ip";
    static final String USER_AGENT = "user_agent";
    static final String NOTE = "note";
    static final String ORIGIN_IP = "origin_ip";
    static final String ORIGIN_USER_AGENT = "origin_user_agent";

    StoredEvent(ConsentEvent event, String ip, String userAgent, String note) {
        this(event, ip, userAgent, note, null, null);
    }

    /** The associated-data context of one evidence column of one event. */
    static String context(ConsentEvent event, String column) {
        return event.eventId() + "/" + column;
    }

    /** Encrypts the event's personal evidence; with a destroyed key it is not kept at all. */
    static StoredEvent seal(ConsentEvent event, KeyRing keys) {
        Evidence ev = event.evidence();
        var contact = event.contactId();
        Evidence.Origin origin = ev.origin();
        return new StoredEvent(withoutPersonal(event, keys.destroyed(contact)),
                keys.seal(contact, context(event, IP), ev.ip()),
                keys.seal(contact, context(event, USER_AGENT), ev.userAgent()),
                keys.seal(contact, context(event, NOTE), ev.note()),
                origin == null ? null : keys.seal(contact, context(event, ORIGIN_IP), origin.ip()),
                origin == null ? null : keys.seal(contact, context(event, ORIGIN_USER_AGENT), origin.userAgent()));
    }

    String hash(String prevHash) {
        return EventHash.of(event, ip, userAgent, note, originIp, originUserAgent, prevHash);
    }

    StoredEvent withHash(String prevHash, String hash) {
        ConsentEvent e = event;
        return new StoredEvent(new ConsentEvent(e.seq(), e.eventId(), e.contactId(), e.type(), e.subject(), e.value(),
                e.previousValue(), e.evidence(), prevHash, hash, e.evidenceErased(), e.contactSeq()), ip, userAgent, note, originIp,
                originUserAgent);
    }

    /** The event with its evidence decrypted; erased when the contact's key was destroyed. */
    ConsentEvent open(KeyRing keys) {
        var contact = event.contactId();
        if (keys.destroyed(contact)
                || (ip == null && userAgent == null && note == null && originIp == null && originUserAgent == null)) {
            return withoutPersonal(event, keys.destroyed(contact));
        }
        Evidence ev = event.evidence();
        Evidence.Origin origin = ev.origin() == null ? null : new Evidence.Origin(ev.origin().channel(),
                ev.origin().actorId(), ev.origin().proofId(), read(keys, ORIGIN_IP, originIp),
                read(keys, ORIGIN_USER_AGENT, originUserAgent));
        Evidence opened = new Evidence(ev.actorKind(), ev.actorId(), ev.channel(), ev.occurredAt(),
                read(keys, IP, ip), read(keys, USER_AGENT, userAgent), ev.proofId(), read(keys, NOTE, note), origin);
        ConsentEvent e = event;
        return new ConsentEvent(e.seq(), e.eventId(), e.contactId(), e.type(), e.subject(), e.value(), e.previousValue(),
                opened, e.prevHash(), e.hash(), false, e.contactSeq());
    }

    private String read(KeyRing keys, String column, String ciphertext) {
        if (ciphertext == null) {
            return null;
        }
        Optional<String> plain = keys.open(event.contactId(), context(event, column), ciphertext);
        if (plain.isEmpty()) {
            // Not an error for the reader (the evidence reads as absent), but a sign of a moved or altered value.
            LoggerFactory.getLogger(StoredEvent.class).warn("Evidence column {} of ledger event {} (contact {}) does not decrypt",
                    column, event.seq(), event.contactId());
        }
        return plain.orElse(null);
    }

    static ConsentEvent withoutPersonal(ConsentEvent e, boolean erased) {
        Evidence ev = e.evidence();
        return new ConsentEvent(e.seq(), e.eventId(), e.contactId(), e.type(), e.subject(), e.value(), e.previousValue(),
                new Evidence(ev.actorKind(), ev.actorId(), ev.channel(), ev.occurredAt(), null, null, ev.proofId(), null,
                        ev.origin() == null ? null : ev.origin().withoutPersonal()),
                e.prevHash(), e.hash(), erased, e.contactSeq());
    }
}
