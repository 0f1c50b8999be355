package io.consenthub.partner;

import io.consenthub.contact.ContactId;
import io.consenthub.outbox.Outbox;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The record of what left the hub for partners: every share (when, which attributes by name, which
 * consent event allowed it) and every revocation notice with its acknowledgement, written in the
 * transaction that handed it over. It answers the contact's right to know the recipients of their
 * data (GDPR Art. 15(1)(c)); values are never kept here.
 */
@Component
class Disclosures {

    static final String SHARE = "SHARE";
    static final String NOTICE = "NOTICE";

    private final JdbcClient jdbc;
    private final Outbox outbox;

    Disclosures(JdbcClient jdbc, Outbox outbox) {
        this.jdbc = jdbc;
        this.outbox = outbox;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    void record(ContactId contact, String partner, String kind, String messageId, List<String> attributes, String purpose,
                Long authorizedBySeq, String reason, Instant at) {
        jdbc.sql("""
                insert into partner_disclosure (contact_id, partner, kind, message_id, attributes, purpose, authorized_by_seq,
                                                reason, delivered_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing""")
                .params(contact.value(), partner, kind, messageId, attributes == null ? null : String.join(",", attributes),
                        purpose, authorizedBySeq, reason, OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
                .update();
    }

    /**
     * A contact's disclosures: shares handed over, shares waiting or cancelled, and revocation
     * notices with their status and acknowledgement time, oldest first.
     */
    @Transactional(readOnly = true)
    Map<String, Object> of(ContactId contact) {
        var delivered = new LinkedHashMap<String, Map<String, Object>>();
        jdbc.sql("select message_id, partner, kind, attributes, purpose, authorized_by_seq, reason, delivered_at"
                        + " from partner_disclosure where contact_id = ? order by id")
                .param(contact.value())
                .query(rs -> {
                    var d = new LinkedHashMap<String, Object>();
                    d.put("partner", rs.getString(2));
                    String attributes = rs.getString(4);
                    d.put("attributes", attributes == null || attributes.isEmpty() ? List.of() : Arrays.asList(attributes.split(",")));
                    d.put("purpose", rs.getString(5));
                    long seq = rs.getLong(6);
                    d.put("consentEventSeq", rs.wasNull() ? null : seq);
                    d.put("reason", rs.getString(7));
                    d.put("at", rs.getObject(8, OffsetDateTime.class).toInstant());
                    delivered.put(rs.getString(1), d);
                });
        var shares = new ArrayList<Map<String, Object>>();
        var notices = new ArrayList<Map<String, Object>>();
        for (Map<String, Object> m : outbox.ofContact(contact, PartnerShares.KINDS)) {
            String messageId = (String) m.get("messageId");
            Map<String, Object> done = delivered.get(messageId);
            var entry = new LinkedHashMap<String, Object>();
            entry.put(PartnerShares.SHARE.equals(m.get("kind")) ? "shareId" : "noticeId", messageId);
            entry.put("partner", m.get("destination"));
            entry.put("status", m.get("status"));
            entry.put("enqueuedAt", m.get("enqueuedAt"));
            if (PartnerShares.SHARE.equals(m.get("kind"))) {
                entry.put("deliveredAt", done == null ? null : done.get("at"));
                entry.put("attributes", done == null ? List.of() : done.get("attributes"));
                entry.put("purpose", done == null ? null : done.get("purpose"));
                entry.put("consentEventSeq", done == null ? null : done.get("consentEventSeq"));
                if (done == null) {
                    entry.put("reason", m.get("reason"));
                }
                shares.add(entry);
            } else {
                entry.put("reason", done == null ? null : done.get("reason"));
                entry.put("acknowledgedAt", done == null ? null : done.get("at"));
                entry.put("lastError", done == null ? m.get("reason") : null);
                notices.add(entry);
            }
        }
        var answer = new LinkedHashMap<String, Object>();
        answer.put("contactId", contact.value().toString());
        answer.put("shares", shares);
        answer.put("revocationNotices", notices);
        return answer;
    }
}
