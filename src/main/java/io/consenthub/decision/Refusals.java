package io.consenthub.decision;

import io.consenthub.contact.ContactId;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The record of every message the gate refused: kept in the store (queryable through the API) and
 * counted in the metric {@code consent_gate_refusals_total} by subject and rule.
 */
@Service
public class Refusals {

    private final JdbcClient jdbc;
    private final MeterRegistry meters;
    private final Clock clock;

    Refusals(JdbcClient jdbc, MeterRegistry meters, Clock clock) {
        this.jdbc = jdbc;
        this.meters = meters;
        this.clock = clock;
    }

    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void record(ContactId contact, String subject, Decision decision, String routeId, String messageId) {
        jdbc.sql("""
                insert into gate_refusal (contact_id, subject, rule, reason, route_id, message_id, refused_at)
                values (?, ?, ?, ?, ?, ?, ?)""")
                .params(contact == null ? null : contact.value(), cut(subject, 64), decision.rule(), cut(decision.reason(), 1000),
                        cut(routeId, 200), cut(messageId, 200),
                        OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .update();
        meters.counter("consent_gate_refusals", "subject", subject, "rule", decision.rule()).increment();
    }

    /** Names and reasons come from configuration and routes; a long one is cut rather than losing the record. */
    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    @Transactional(readOnly = true)
    public List<Map<String, Object>> recent(ContactId contact, int limit) {
        String where = contact == null ? "" : " where contact_id = ?";
        var params = new java.util.ArrayList<Object>();
        if (contact != null) {
            params.add(contact.value());
        }
        params.add(limit);
        return jdbc.sql("select id, contact_id, subject, rule, reason, route_id, message_id, refused_at from gate_refusal"
                        + where + " order by id desc limit ?")
                .params(params)
                .query((rs, n) -> {
                    var row = new LinkedHashMap<String, Object>();
                    row.put("id", rs.getLong(1));
                    UUID id = rs.getObject(2, UUID.class);
                    row.put("contactId", id == null ? null : id.toString());
                    row.put("subject", rs.getString(3));
                    row.put("rule", rs.getString(4));
                    row.put("reason", rs.getString(5));
                    row.put("routeId", rs.getString(6));
                    row.put("messageId", rs.getString(7));
                    row.put("refusedAt", rs.getObject(8, OffsetDateTime.class).toInstant());
                    return (Map<String, Object>) row;
                })
                .list();
    }
}
