package io.consenthub.access;

import io.consenthub.contact.ContactDataSection;
import io.consenthub.contact.ContactId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/** The contact's access exports themselves — who asked, through which channel, masked or not, when delivered — this one included. */
@Component
class AccessExportSection implements ContactDataSection {

    private final JdbcClient jdbc;

    AccessExportSection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String name() {
        return "access-exports";
    }

    @Override
    public Object export(ContactId contact) {
        return jdbc.sql("""
                        select id, channel, requested_by, sensitive_plaintext, requested_at, delivered_at
                        from access_export where contact_id = ? order by requested_at, id""")
                .param(contact.value())
                .query((rs, n) -> {
                    var export = new LinkedHashMap<String, Object>();
                    export.put("exportId", rs.getObject(1, java.util.UUID.class));
                    export.put("requestedThrough", rs.getString(2));
                    export.put("requestedBy", rs.getString(3));
                    export.put("sensitiveValues", rs.getBoolean(4) ? "plaintext" : "masked");
                    export.put("requestedAt", rs.getObject(5, OffsetDateTime.class).toInstant());
                    OffsetDateTime delivered = rs.getObject(6, OffsetDateTime.class);
                    export.put("deliveredAt", delivered == null ? null : delivered.toInstant());
                    return (Map<String, Object>) export;
                }).list();
    }
}
