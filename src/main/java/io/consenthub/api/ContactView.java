package io.consenthub.api;

import io.consenthub.consent.ConsentEvent;
import io.consenthub.consent.ConsentsBlock;
import io.consenthub.contact.Contact;
import io.consenthub.contact.CrmLink;
import io.consenthub.fields.SensitiveFields;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A contact as the API shows it: identity, CRM data (sensitive attributes masked), CRM links,
 * consents block and, for one contact, its history.
 */
record ContactView(String id, String email, Map<String, String> attributes, List<CrmLink> crmLinks,
                   Instant createdAt, Instant updatedAt, ConsentsBlock consents, List<HistoryEntry> history) {

    static ContactView of(Contact contact, SensitiveFields sensitive, ConsentsBlock block, List<ConsentEvent> events) {
        return new ContactView(contact.id().toString(), contact.primaryEmail().value(), sensitive.masked(contact.attributes().values()),
                contact.crmLinks(), contact.createdAt(), contact.updatedAt(), block,
                events == null ? null : events.stream().map(HistoryEntry::of).toList());
    }

    /**
     * One ledger event with its evidence, as CRM users read it. {@code evidenceErased} is present
     * (true) only when the contact's evidence key was destroyed: IP, user agent and note are then
     * absent for good, while the event itself and its hash remain. {@code origin} is present when
     * the event confirms a change first asked for elsewhere (a web form): that channel, form,
     * submission id, IP and user agent.
     */
    record HistoryEntry(long seq, String eventId, String type, String subject, String value, String previousValue,
                        String actorKind, String actorId, String channel, Instant occurredAt, String ip,
                        String userAgent, String proofId, String note, String hash, Boolean evidenceErased,
                        io.consenthub.consent.Evidence.Origin origin) {

        static HistoryEntry of(ConsentEvent e) {
            var ev = e.evidence();
            return new HistoryEntry(e.seq(), e.eventId().toString(), e.type().name(), e.subject(), e.value(),
                    e.previousValue(), ev.actorKind().name(), ev.actorId(), ev.channel(), ev.occurredAt(), ev.ip(),
                    ev.userAgent(), ev.proofId(), ev.note(), e.hash(), e.evidenceErased() ? Boolean.TRUE : null, ev.origin());
        }
    }
}
