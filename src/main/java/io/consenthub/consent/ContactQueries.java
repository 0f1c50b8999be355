package io.consenthub.consent;

import io.consenthub.consent.optin.EmailOptInStatus;
import io.consenthub.contact.ContactId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Lists and reports over the consent projection. Filters are composed from fixed SQL fragments
 * with bound parameters; a purpose's default applies to contacts who never answered it.
 */
@Service
@Transactional(readOnly = true)
public class ContactQueries {

    /** One page of matching contact ids and the total count of matches. */
    public record Page(List<ContactId> ids, long total) {
    }

    private static final String CURRENT_VALUE =
            "coalesce((select s.state_value from consent_state s where s.contact_id = c.id and s.subject = ?), ?)";

    private final JdbcClient jdbc;
    private final PurposeCatalog catalog;

    ContactQueries(JdbcClient jdbc, PurposeCatalog catalog) {
        this.jdbc = jdbc;
        this.catalog = catalog;
    }

    /** A contact whose answer to a purpose has stood since {@code since}, recorded by ledger event {@code eventSeq}. */
    public record StandingAnswer(ContactId contact, java.time.Instant since, long eventSeq) {
    }

    /**
     * The contacts whose current answer to the purpose of {@code kind} is "granted" (for the
     * erasure purpose: the open erasure requests), oldest first. Defaults do not count: only an
     * answer the contact gave is a request.
     */
    public List<StandingAnswer> grantedOfKind(PurposeKind kind) {
        var purpose = catalog.ofKind(kind);
        if (purpose.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                        select contact_id, updated_at, event_seq from consent_state
                         where subject = ? and state_value = ? order by updated_at, contact_id""")
                .params(purpose.get().id(), ConsentValue.GRANTED.name())
                .query((rs, n) -> new StandingAnswer(new ContactId(rs.getObject(1, UUID.class)),
                        rs.getTimestamp(2).toInstant(), rs.getLong(3)))
                .list();
    }

    public Page find(ContactFilter filter) {
        var where = new StringBuilder(" where c.removed_at is null");
        var params = new ArrayList<Object>();
        if (!filter.optInStatuses().isEmpty()) {
            where.append(" and ").append(CURRENT_VALUE).append(" in (")
                    .append(String.join(", ", filter.optInStatuses().stream().map(s -> "?").toList())).append(')');
            params.add(PurposeCatalog.EMAIL_OPT_IN_SUBJECT);
            params.add(EmailOptInStatus.NONE.name());
            params.addAll(filter.optInStatuses());
        }
        filter.consents().forEach((purposeId, value) -> {
            Purpose purpose = catalog.require(purposeId);
            where.append(" and ").append(CURRENT_VALUE).append(" = ?");
            params.add(purpose.id());
            params.add(ConsentValue.of(purpose.defaultValue()).name());
            params.add(value.name());
        });
        if (filter.connectorId() != null) {
            where.append(" and exists (select 1 from crm_link l where l.contact_id = c.id and l.connector_id = ?)");
            params.add(filter.connectorId());
        }
        filter.exposed().forEach((field, indexes) -> {
            where.append(" and exists (select 1 from contact_field f where f.contact_id = c.id and f.field = ? and f.exposed_index in (")
                    .append(String.join(", ", indexes.stream().map(i -> "?").toList())).append("))");
            params.add(field);
            params.addAll(indexes);
        });
        long total = jdbc.sql("select count(*) from contact c" + where).params(params).query(Long.class).single();
        var pageParams = new ArrayList<>(params);
        pageParams.add(filter.size());
        pageParams.add((long) filter.page() * filter.size());
        List<ContactId> ids = jdbc.sql("select c.id from contact c" + where + " order by c.created_at, c.id limit ? offset ?")
                .params(pageParams)
                .query((rs, n) -> new ContactId(rs.getObject(1, UUID.class)))
                .list();
        return new Page(ids, total);
    }

    /** Calls {@code each} for every contact matching the filter's criteria, page by page (its page fields are ignored). */
    public void forEachMatching(ContactFilter filter, java.util.function.Consumer<ContactId> each) {
        int page = 0;
        while (true) {
            Page result = find(new ContactFilter(filter.optInStatuses(), filter.consents(), filter.connectorId(),
                    filter.exposed(), page, ContactFilter.MAX_PAGE_SIZE));
            result.ids().forEach(each);
            if ((long) (page + 1) * ContactFilter.MAX_PAGE_SIZE >= result.total()) {
                return;
            }
            page++;
        }
    }

    /**
     * The time of each contact's latest ledger event (any event: an answer, an opt-in move, a
     * restriction), for retention's "last activity"; contacts without events are absent.
     */
    @Transactional(readOnly = true)
    public Map<ContactId, java.time.Instant> lastEventAt(java.util.Collection<ContactId> contacts) {
        var latest = new java.util.HashMap<ContactId, java.time.Instant>();
        if (contacts.isEmpty()) {
            return latest;
        }
        var ids = contacts.stream().map(ContactId::value).toList();
        jdbc.sql("select contact_id, max(occurred_at) from consent_event where contact_id in ("
                        + String.join(", ", java.util.Collections.nCopies(ids.size(), "?")) + ") group by contact_id")
                .params(new ArrayList<Object>(ids))
                .query((rs, n) -> latest.put(new ContactId(rs.getObject(1, java.util.UUID.class)),
                        rs.getObject(2, java.time.OffsetDateTime.class).toInstant()))
                .list();
        return latest;
    }

    /** Contacts per opt-in status, and per purpose how many hold each value (defaults included); removed contacts do not count. */
    public Map<String, Object> report() {
        var byStatus = countBySubject(PurposeCatalog.EMAIL_OPT_IN_SUBJECT, EmailOptInStatus.NONE.name());
        var byPurpose = new LinkedHashMap<String, Map<String, Long>>();
        for (Purpose purpose : catalog.all()) {
            var counts = new LinkedHashMap<String, Long>();
            counts.put(ConsentValue.GRANTED.name(), 0L);
            counts.put(ConsentValue.REVOKED.name(), 0L);
            counts.putAll(countBySubject(purpose.id(), ConsentValue.of(purpose.defaultValue()).name()));
            byPurpose.put(purpose.id(), counts);
        }
        var report = new LinkedHashMap<String, Object>();
        report.put("contacts", jdbc.sql("select count(*) from contact where removed_at is null").query(Long.class).single());
        report.put("emailOptInStatus", byStatus);
        report.put("consents", byPurpose);
        return report;
    }

    private Map<String, Long> countBySubject(String subject, String valueWhenUnanswered) {
        var counts = new TreeMap<String, Long>();
        jdbc.sql("""
                select s.state_value, count(*) from contact c
                left join consent_state s on s.contact_id = c.id and s.subject = ?
                where c.removed_at is null
                group by s.state_value""")
                .param(subject)
                .query((rs, n) -> counts.merge(rs.getString(1) == null ? valueWhenUnanswered : rs.getString(1),
                        rs.getLong(2), Long::sum))
                .list();
        return counts;
    }
}
