package io.consenthub.preference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.consenthub.contact.ContactDataHolder;
import io.consenthub.contact.ContactId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Erasure of the preference page's records of the contact: change sets (with their form origins and
 * IPs) and notices. The access export lists the change sets — what was asked, through which
 * channel, and whether it was confirmed — and when the contact was told about the page.
 */
@Component
class PreferenceErasure implements ContactDataHolder {

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    PreferenceErasure(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @Override
    public String name() {
        return "preference-page";
    }

    @Override
    public int erase(ContactId contact) {
        return jdbc.sql("delete from preference_change where contact_id = ?").param(contact.value()).update()
                + jdbc.sql("delete from preference_notice where contact_id = ?").param(contact.value()).update();
    }

    @Override
    public Object export(ContactId contact) {
        var changeSets = jdbc.sql("""
                        select id, changes, status, created_at, decided_at, origin_channel, origin_actor_id
                        from preference_change where contact_id = ? order by created_at, id""")
                .param(contact.value())
                .query((rs, n) -> {
                    var set = new LinkedHashMap<String, Object>();
                    set.put("id", rs.getString(1));
                    set.put("changes", changes(rs.getString(2)));
                    set.put("status", rs.getString(3));
                    set.put("proposedAt", rs.getObject(4, OffsetDateTime.class).toInstant());
                    OffsetDateTime decided = rs.getObject(5, OffsetDateTime.class);
                    set.put("decidedAt", decided == null ? null : decided.toInstant());
                    set.put("proposedThrough", rs.getString(6) == null ? "preference-page" : rs.getString(6));
                    set.put("form", rs.getString(7));
                    return (Map<String, Object>) set;
                }).list();
        Instant told = jdbc.sql("select sent_at from preference_notice where contact_id = ?").param(contact.value())
                .query((rs, n) -> rs.getObject(1, OffsetDateTime.class).toInstant()).optional().orElse(null);
        var section = new LinkedHashMap<String, Object>();
        section.put("changeSets", changeSets);
        section.put("pageAnnouncedAt", told);
        return section;
    }

    private Object changes(String stored) {
        try {
            return json.readTree(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored change set is not valid JSON", e);
        }
    }
}
