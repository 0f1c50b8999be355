package io.consenthub.retention;

import io.consenthub.contact.ContactDataSection;
import io.consenthub.contact.ContactId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/** What retention did with the contact (an anonymisation started, with its rule and the last activity it saw). */
@Component
class RetentionSection implements ContactDataSection {

    private final JdbcClient jdbc;

    RetentionSection(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String name() {
        return "retention";
    }

    @Override
    public Object export(ContactId contact) {
        return jdbc.sql("select action, rule, last_activity, erasure_job, acted_at from retention_action where contact_id = ? order by id")
                .param(contact.value())
                .query((rs, n) -> {
                    var action = new LinkedHashMap<String, Object>();
                    action.put("action", rs.getString(1));
                    action.put("rule", rs.getString(2));
                    action.put("lastActivity", rs.getObject(3, OffsetDateTime.class).toInstant());
                    action.put("erasureJob", rs.getObject(4, java.util.UUID.class));
                    action.put("actedAt", rs.getObject(5, OffsetDateTime.class).toInstant());
                    return (Map<String, Object>) action;
                }).list();
    }
}
