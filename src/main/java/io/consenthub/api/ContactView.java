package io.consenthub.api;

import io.consenthub.consent.ConsentEvent;
import io.consenthub.consent.ConsentsBlock;
import io.consenthub.consent.HistoryEntry;
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
}
