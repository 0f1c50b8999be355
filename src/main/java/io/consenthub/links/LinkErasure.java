package io.consenthub.links;

import io.consenthub.contact.ContactDataHolder;
import io.consenthub.contact.ContactId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/** Erasure of the contact's mailed links (preference, confirmation, unsubscribe): every token row goes, used or not. */
@Component
class LinkErasure implements ContactDataHolder {

    private final JdbcClient jdbc;

    LinkErasure(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String name() {
        return "links";
    }

    @Override
    public int erase(ContactId contact) {
        return jdbc.sql("delete from link_token where contact_id = ?").param(contact.value()).update();
    }

    /** The links issued to the contact — what each was for and when it expired or was used — never a token or its hash. */
    @Override
    public Object export(ContactId contact) {
        return jdbc.sql("select purpose, created_at, expires_at, used_at, revoked_at from link_token where contact_id = ? order by created_at")
                .param(contact.value())
                .query((rs, n) -> {
                    var link = new LinkedHashMap<String, Object>();
                    link.put("purpose", rs.getString(1));
                    link.put("issuedAt", instant(rs.getObject(2, OffsetDateTime.class)));
                    link.put("expiresAt", instant(rs.getObject(3, OffsetDateTime.class)));
                    link.put("usedAt", instant(rs.getObject(4, OffsetDateTime.class)));
                    link.put("revokedAt", instant(rs.getObject(5, OffsetDateTime.class)));
                    return (Map<String, Object>) link;
                }).list();
    }

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }
}
