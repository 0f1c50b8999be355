package io.consenthub.contact;

import java.time.Instant;
import java.util.List;

/** A person as the hub knows them: identity, CRM data and where they live in each CRM. */
public record Contact(ContactId id, EmailAddress primaryEmail, Attributes attributes, List<CrmLink> crmLinks,
                      Instant createdAt, Instant updatedAt) {

    public Contact {
        crmLinks = List.copyOf(crmLinks);
    }
}
