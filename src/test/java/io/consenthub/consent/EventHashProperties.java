package io.consenthub.consent;

import io.consenthub.contact.ContactId;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Any change to any hashed field of an event, or to the hash it chains from, changes its hash. */
class EventHashProperties {

    @Property(tries = 300)
    void changingAnyFieldChangesTheHash(@ForAll("events") ConsentEvent event, @ForAll @IntRange(min = 0, max = 14) int field,
                                        @ForAll("texts") String replacement) {
        ConsentEvent edited = edit(event, field, replacement);
        if (edited.equals(event)) {
            return;
        }
        assertThat(EventHash.of(edited, event.prevHash())).isNotEqualTo(EventHash.of(event, event.prevHash()));
    }

    @Property(tries = 100)
    void theHashDependsOnThePreviousHash(@ForAll("events") ConsentEvent event) {
        assertThat(EventHash.of(event, EventHash.GENESIS)).isNotEqualTo(EventHash.of(event, "f".repeat(64)));
    }

    @Property(tries = 100)
    void movingTextBetweenAdjacentFieldsChangesTheHash(@ForAll("events") ConsentEvent event) {
        Evidence ev = event.evidence();
        var shifted = new ConsentEvent(event.seq(), event.eventId(), event.contactId(), event.type(), event.subject(),
                event.value(), event.previousValue(), new Evidence(ev.actorKind(), ev.actorId(), ev.channel(), ev.occurredAt(),
                ev.ip() == null ? "x" : ev.ip() + "x", ev.userAgent() == null ? null : "x" + ev.userAgent(), ev.proofId(), ev.note()),
                event.prevHash(), null);
        assertThat(EventHash.of(shifted, event.prevHash())).isNotEqualTo(EventHash.of(event, event.prevHash()));
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.strings().ofMinLength(1).ofMaxLength(20);
    }

    @Provide
    Arbitrary<ConsentEvent> events() {
        Arbitrary<String> text = Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> optional = text.injectNull(0.3);
        Arbitrary<Evidence> evidence = Combinators.combine(Arbitraries.of(ActorKind.class), optional, text,
                        Arbitraries.longs().between(0, 4_000_000_000L), optional, optional, optional, optional)
                .as((actor, actorId, channel, seconds, ip, ua, proof, note) ->
                        new Evidence(actor, actorId, channel, Instant.ofEpochSecond(seconds), ip, ua, proof, note));
        return Combinators.combine(Arbitraries.longs().between(1, 1_000_000), Arbitraries.of(EventType.class), text,
                        text, optional, evidence)
                .as((seq, type, subject, value, previous, ev) -> new ConsentEvent(seq, UUID.randomUUID(),
                        ContactId.random(), type, subject, value, previous, ev, EventHash.GENESIS, null));
    }

    private static ConsentEvent edit(ConsentEvent e, int field, String r) {
        Evidence v = e.evidence();
        return switch (field) {
            case 0 -> new ConsentEvent(e.seq() + 1, e.eventId(), e.contactId(), e.type(), e.subject(), e.value(), e.previousValue(), v, e.prevHash(), null);
            case 1 -> new ConsentEvent(e.seq(), UUID.randomUUID(), e.contactId(), e.type(), e.subject(), e.value(), e.previousValue(), v, e.prevHash(), null);
            case 2 -> new ConsentEvent(e.seq(), e.eventId(), ContactId.random(), e.type(), e.subject(), e.value(), e.previousValue(), v, e.prevHash(), null);
            case 3 -> new ConsentEvent(e.seq(), e.eventId(), e.contactId(), e.type(), r, e.value(), e.previousValue(), v, e.prevHash(), null);
            case 4 -> new ConsentEvent(e.seq(), e.eventId(), e.contactId(), e.type(), e.subject(), r, e.previousValue(), v, e.prevHash(), null);
            case 5 -> new ConsentEvent(e.seq(), e.eventId(), e.contactId(), e.type(), e.subject(), e.value(), r, v, e.prevHash(), null);
            case 6 -> withEvidence(e, new Evidence(v.actorKind(), r, v.channel(), v.occurredAt(), v.ip(), v.userAgent(), v.proofId(), v.note()));
            case 7 -> withEvidence(e, new Evidence(v.actorKind(), v.actorId(), r, v.occurredAt(), v.ip(), v.userAgent(), v.proofId(), v.note()));
            case 8 -> withEvidence(e, new Evidence(v.actorKind(), v.actorId(), v.channel(), v.occurredAt().plusMillis(1), v.ip(), v.userAgent(), v.proofId(), v.note()));
            case 9 -> withEvidence(e, new Evidence(v.actorKind(), v.actorId(), v.channel(), v.occurredAt(), r, v.userAgent(), v.proofId(), v.note()));
            case 10 -> withEvidence(e, new Evidence(v.actorKind(), v.actorId(), v.channel(), v.occurredAt(), v.ip(), r, v.proofId(), v.note()));
            case 11 -> withEvidence(e, new Evidence(v.actorKind(), v.actorId(), v.channel(), v.occurredAt(), v.ip(), v.userAgent(), r, v.note()));
            case 12 -> withEvidence(e, new Evidence(v.actorKind(), v.actorId(), v.channel(), v.occurredAt(), v.ip(), v.userAgent(), v.proofId(), r));
            case 13 -> withEvidence(e, new Evidence(v.actorKind() == ActorKind.USER ? ActorKind.CRM : ActorKind.USER, v.actorId(), v.channel(), v.occurredAt(), v.ip(), v.userAgent(), v.proofId(), v.note()));
            default -> new ConsentEvent(e.seq(), e.eventId(), e.contactId(),
                    e.type() == EventType.CONSENT_GRANTED ? EventType.CONSENT_REVOKED : EventType.CONSENT_GRANTED,
                    e.subject(), e.value(), e.previousValue(), v, e.prevHash(), null);
        };
    }

    private static ConsentEvent withEvidence(ConsentEvent e, Evidence v) {
        return new ConsentEvent(e.seq(), e.eventId(), e.contactId(), e.type(), e.subject(), e.value(), e.previousValue(), v, e.prevHash(), null);
    }
}
