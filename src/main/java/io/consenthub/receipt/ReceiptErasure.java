package io.consenthub.receipt;

import io.consenthub.contact.ContactDataHolder;
import io.consenthub.contact.ContactId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Erasure of the consent receipts issued to the contact (signed copies of their consents, address included). */
@Component
class ReceiptErasure implements ContactDataHolder {

    private final JdbcClient jdbc;

    ReceiptErasure(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String name() {
        return "receipts";
    }

    @Override
    public int erase(ContactId contact) {
        return jdbc.sql("delete from consent_receipt where contact_id = ?").param(contact.value()).update();
    }
}
