package io.consenthub.retention;

import io.consenthub.contact.ContactId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * SQL of retention: contacts with no activity since a moment outside the ledger, with their last
 * such activity, and the record of what retention did. Activity here is a change of the record, an
 * open or click, a mail from them, a preference change set; the ledger's events are consent's to
 * read ({@code ContactQueries.lastEventAt}). Anonymised contacts and contacts with an erasure job
 * are never candidates.
 */
@Repository
class RetentionStore {

    /** One inactive contact and the last moment anything happened to them. */
    record Inactive(ContactId contact, Instant lastActivity) {
    }

    /** A contact with its activity outside the ledger: the record's times and the latest open or click, mail from them, change set. */
    private static final String ACTIVITY = """
            select c.id, c.created_at, c.updated_at,
                   (select max(g.occurred_at) from engagement g where g.contact_id = c.id),
                   (select max(m.received_at) from inbound_mail m where m.contact_id = c.id),
                   (select max(p.created_at) from preference_change p where p.contact_id = c.id)
            from contact c
            """;

    private final JdbcClient jdbc;

    RetentionStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Up to {@code limit} contacts inactive since {@code since}, by id after {@code after} (null: from the first). */
    List<Inactive> inactiveSince(Instant since, UUID after, int limit) {
        OffsetDateTime at = utc(since);
        return jdbc.sql(ACTIVITY + """
                where c.updated_at < ? and c.email_key not like 'erased:%' and (cast(? as uuid) is null or c.id > ?)
                  and not exists (select 1 from erasure_job j where j.contact_id = c.id)
                  and not exists (select 1 from engagement g where g.contact_id = c.id and g.occurred_at >= ?)
                  and not exists (select 1 from inbound_mail m where m.contact_id = c.id and m.received_at >= ?)
                  and not exists (select 1 from preference_change p where p.contact_id = c.id and p.created_at >= ?)
                order by c.id
                limit ?""")
                .params(at, after, after, at, at, at, limit)
                .query(RetentionStore::inactive)
                .list();
    }

    /** The contact's last activity outside the ledger, read again (empty: no such contact, or removed). */
    java.util.Optional<Inactive> activityOf(ContactId contact) {
        return jdbc.sql(ACTIVITY + "where c.id = ? and c.removed_at is null").param(contact.value())
                .query(RetentionStore::inactive).optional();
    }

    void recordAction(ContactId contact, String action, String rule, Instant lastActivity, UUID erasureJob, Instant now) {
        jdbc.sql("insert into retention_action (contact_id, action, rule, last_activity, erasure_job, acted_at) values (?, ?, ?, ?, ?, ?)")
                .params(contact.value(), action, rule, utc(lastActivity), erasureJob, utc(now))
                .update();
    }

    private static Inactive inactive(ResultSet rs, int n) throws SQLException {
        Instant last = rs.getObject(2, OffsetDateTime.class).toInstant();
        for (int column = 3; column <= 6; column++) {
            OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
            if (at != null && at.toInstant().isAfter(last)) {
                last = at.toInstant();
            }
        }
        return new Inactive(new ContactId(rs.getObject(1, UUID.class)), last);
    }

    private static OffsetDateTime utc(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }
}
