package io.consenthub.receipt;

import io.consenthub.contact.ContactDataHolder;
import io.consenthub.contact.ContactId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Erasure of the consent receipts issued to the contact (signed copies of their consents, address
 * included); the access export carries each receipt whole, as the signed JWS anyone can verify.
 */
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

    @Override
    public Object export(ContactId contact) {
        return jdbc.sql("select id, issued_at, jws from consent_receipt where contact_id = ? order by issued_at, id")
                .param(contact.value())
                .query((rs, n) -> {
                    var receipt = new LinkedHashMap<String, Object>();
                    receipt.put("id", rs.getObject(1, UUID.class));
                    receipt.put("issuedAt", rs.getObject(2, OffsetDateTime.class).toInstant());
                    receipt.put("href", "/r/" + rs.getObject(1, UUID.class));
                    receipt.put("jws", rs.getString(3));
                    return (Map<String, Object>) receipt;
                }).list();
    }
}
