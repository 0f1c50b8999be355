package io.consenthub.decision;

import io.consenthub.contact.ContactDataSection;
import io.consenthub.contact.ContactId;
import org.springframework.stereotype.Component;

/**
 * What the consent gate refused to do with the contact — an email not sent, a share not made —
 * with the rule, as the access export shows it: the contact sees their choices honoured, not only stated.
 */
@Component
class RefusalSection implements ContactDataSection {

    private static final int MAX_REFUSALS = 10_000;

    private final Refusals refusals;

    RefusalSection(Refusals refusals) {
        this.refusals = refusals;
    }

    @Override
    public String name() {
        return "refusals";
    }

    @Override
    public Object export(ContactId contact) {
        return refusals.recent(contact, MAX_REFUSALS).stream().map(row -> {
            var refusal = new java.util.LinkedHashMap<>(row);
            refusal.remove("id");
            refusal.remove("contactId");
            return refusal;
        }).toList();
    }
}
