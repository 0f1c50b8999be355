package io.consenthub.access;

import io.consenthub.contact.ContactId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/** SQL of the access-export requests: who asked, through which channel, in which form, when it was delivered. */
@Repository
class AccessExportStore {

    /** One request as stored; {@code deliveredAt} null until the document was handed out. */
    record Request(UUID id, ContactId contact, String channel, String requestedBy, boolean plaintext, Instant requestedAt,
                   Instant deliveredAt) {
    }

    private final JdbcClient jdbc;

    AccessExportStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void record(Request request) {
        jdbc.sql("""
                insert into access_export (id, contact_id, channel, requested_by, sensitive_plaintext, requested_at, delivered_at)
                values (?, ?, ?, ?, ?, ?, ?)""")
                .params(request.id(), request.contact().value(), request.channel(), request.requestedBy(), request.plaintext(),
                        utc(request.requestedAt()), request.deliveredAt() == null ? null : utc(request.deliveredAt()))
                .update();
    }

    /** The request, locked, while it has not been delivered. */
    Optional<Request> undelivered(UUID id) {
        return jdbc.sql("""
                select id, contact_id, channel, requested_by, sensitive_plaintext, requested_at
                from access_export where id = ? and delivered_at is null for update""")
                .param(id)
                .query((rs, n) -> new Request(rs.getObject(1, UUID.class), new ContactId(rs.getObject(2, UUID.class)),
                        rs.getString(3), rs.getString(4), rs.getBoolean(5), rs.getObject(6, OffsetDateTime.class).toInstant(), null))
                .optional();
    }

    /** Every request of the contact, oldest first, as its access export lists them. */
    java.util.List<java.util.Map<String, Object>> ofContact(ContactId contact) {
        return jdbc.sql("""
                        select id, channel, requested_by, sensitive_plaintext, requested_at, delivered_at
                        from access_export where contact_id = ? order by requested_at, id""")
                .param(contact.value())
                .query((rs, n) -> {
                    var export = new java.util.LinkedHashMap<String, Object>();
                    export.put("exportId", rs.getObject(1, UUID.class));
                    export.put("requestedThrough", rs.getString(2));
                    export.put("requestedBy", rs.getString(3));
                    export.put("sensitiveValues", rs.getBoolean(4) ? "plaintext" : "masked");
                    export.put("requestedAt", rs.getObject(5, OffsetDateTime.class).toInstant());
                    OffsetDateTime delivered = rs.getObject(6, OffsetDateTime.class);
                    export.put("deliveredAt", delivered == null ? null : delivered.toInstant());
                    return (java.util.Map<String, Object>) export;
                }).list();
    }

    void delivered(UUID id, Instant at) {
        jdbc.sql("update access_export set delivered_at = ? where id = ?").params(utc(at), id).update();
    }

    private static OffsetDateTime utc(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }
}
