package io.consenthub.partner;

import io.consenthub.contact.ContactDataHolder;
import io.consenthub.contact.ContactId;
import io.consenthub.outbox.Outbox;
import org.springframework.stereotype.Component;

/**
 * Erasure of what was prepared for partners: the shares' payloads (the attributes sent) are erased
 * and any share still waiting is cancelled. Revocation notices are left alone: they carry only
 * ids, and each must still reach its partner and be acknowledged. The disclosure records (partner,
 * attribute names, when) stay as the account of what left the hub, and are what the access
 * export shows (GDPR Art. 15(1)(c): the recipients of the contact's data).
 */
@Component
class PartnerErasure implements ContactDataHolder {

    private final Outbox outbox;
    private final Disclosures disclosures;

    PartnerErasure(Outbox outbox, Disclosures disclosures) {
        this.outbox = outbox;
        this.disclosures = disclosures;
    }

    @Override
    public String name() {
        return "partner-shares";
    }

    @Override
    public int erase(ContactId contact) {
        return outbox.erasePayloads(contact, PartnerShares.SHARE);
    }

    @Override
    public Object export(ContactId contact) {
        return disclosures.of(contact);
    }
}
