package io.consenthub.consent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 over an event's fields and the previous event's hash (the previous event of the same
 * contact, whose chain it belongs to). Each field is length-prefixed so no two different events can
 * produce the same input text. An event's position in its contact's chain ({@code contactSeq}) is
 * covered too; an event without one (a ledger from before per-contact chains, seen only by the
 * migrations) hashes exactly as it did then, so those migrations can verify the old chain. The ledger hashes the evidence as
 * stored, i.e. the ciphertext of IP, user agent and note, so the chain verifies without any key
 * and still verifies after a contact's key was destroyed.
 */
final class EventHash {

    static final String GENESIS = "0".repeat(64);

    private EventHash() {
    }

    static String of(ConsentEvent e, String prevHash) {
        Evidence.Origin origin = e.evidence().origin();
        return of(e, e.evidence().ip(), e.evidence().userAgent(), e.evidence().note(),
                origin == null ? null : origin.ip(), origin == null ? null : origin.userAgent(), prevHash);
    }

    /** The hash with the IP, user agent and note given as stored (ciphertext), in place of the event's evidence. */
    static String of(ConsentEvent e, String ip, String userAgent, String note, String prevHash) {
        return of(e, ip, userAgent, note, null, null, prevHash);
    }

    /**
     * The hash of an event as stored, with the ciphertext of its origin's IP and user agent. The
     * origin's fields follow the others only when the event has an origin, so the hash of every
     * event without one is what it was before origins existed.
     */
    static String of(ConsentEvent e, String ip, String userAgent, String note, String originIp, String originUserAgent,
                     String prevHash) {
        var text = new StringBuilder(256);
        Object[] base = {e.seq(), e.eventId(), e.contactId().value(), e.type(), e.subject(), e.value(),
                e.previousValue(), e.evidence().actorKind(), e.evidence().actorId(), e.evidence().channel(),
                e.evidence().occurredAt(), ip, userAgent, e.evidence().proofId(),
                note, prevHash};
        Evidence.Origin origin = e.evidence().origin();
        Object[] fields = origin == null ? base : java.util.stream.Stream.concat(java.util.Arrays.stream(base),
                java.util.stream.Stream.of("origin", origin.channel(), origin.actorId(), origin.proofId(), originIp,
                        originUserAgent)).toArray();
        if (e.contactSeq() > 0) {
            fields = java.util.stream.Stream.concat(java.util.Arrays.stream(fields), java.util.stream.Stream.of("chain", e.contactSeq()))
                    .toArray();
        }
        for (Object field : fields) {
            if (field == null) {
                text.append("-;");
            } else {
                String s = field.toString();
                text.append(s.length()).append(':').append(s).append(';');
            }
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e1) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e1);
        }
    }
}
