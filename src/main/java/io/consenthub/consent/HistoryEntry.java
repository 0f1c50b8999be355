package io.consenthub.consent;

import java.time.Instant;

/**
 * One ledger event with its evidence, as people read it: CRM users through the API, the contact in
 * their access export. {@code evidenceErased} is present (true) only when the contact's evidence
 * key was destroyed: IP, user agent and note are then absent for good, while the event itself and
 * its hash remain. {@code origin} is present when the event confirms a change first asked for
 * elsewhere (a web form): that channel, form, submission id, IP and user agent.
 */
public record HistoryEntry(long seq, String eventId, String type, String subject, String value, String previousValue,
                           String actorKind, String actorId, String channel, Instant occurredAt, String ip,
                           String userAgent, String proofId, String note, String hash, Boolean evidenceErased,
                           Evidence.Origin origin) {

    public static HistoryEntry of(ConsentEvent e) {
        var ev = e.evidence();
        return new HistoryEntry(e.seq(), e.eventId().toString(), e.type().name(), e.subject(), e.value(),
                e.previousValue(), ev.actorKind().name(), ev.actorId(), ev.channel(), ev.occurredAt(), ev.ip(),
                ev.userAgent(), ev.proofId(), ev.note(), e.hash(), e.evidenceErased() ? Boolean.TRUE : null, ev.origin());
    }
}
