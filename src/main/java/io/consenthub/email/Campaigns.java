package io.consenthub.email;

import io.consenthub.consent.ContactFilter;
import io.consenthub.consent.ContactQueries;
import io.consenthub.consent.ConsentValue;
import io.consenthub.decision.ConsentDecisions;
import io.consenthub.decision.EmailKind;
import io.consenthub.outbox.Outbox;
import io.consenthub.shared.InvalidInputException;
import io.consenthub.shared.NotFoundException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Campaigns to a marketing list. Starting one enqueues a message for every list member in one
 * transaction; the gated delivery route then decides each at send time, so a contact who opts out
 * mid-campaign is not emailed, and a restarted hub carries on with what is still pending.
 */
@Service
public class Campaigns {

    /** What a caller asks for: the list, subject and bodies ({unsubscribeLink} may appear in them). */
    public record Request(String name, String list, String subject, String text, String html) {
    }

    private final JdbcClient jdbc;
    private final ContactQueries queries;
    private final ConsentDecisions decisions;
    private final Emails emails;
    private final Outbox outbox;
    private final Clock clock;

    Campaigns(JdbcClient jdbc, ContactQueries queries, ConsentDecisions decisions, Emails emails, Outbox outbox, Clock clock) {
        this.jdbc = jdbc;
        this.queries = queries;
        this.decisions = decisions;
        this.emails = emails;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Transactional
    public Map<String, Object> start(Request request, String requestedBy) {
        if (request.subject() == null || request.subject().isBlank() || request.text() == null || request.text().isBlank()) {
            throw new InvalidInputException("a campaign needs a 'subject' and a plain-text body 'text' ('html' is optional)");
        }
        if (request.subject().length() > 500) {
            throw new InvalidInputException("'subject' is longer than 500 characters");
        }
        decisions.requireList(request.list());
        String id = UUID.randomUUID().toString();
        String name = request.name() == null || request.name().isBlank() ? request.subject() : request.name();
        var payload = new EmailPayload(EmailKind.CAMPAIGN, request.subject(), request.text(), request.html(), request.list(),
                null, null, requestedBy);
        var enqueued = new int[1];
        queries.forEachMatching(new ContactFilter(List.of(), Map.of(request.list(), ConsentValue.GRANTED), null, 0, 1), contact -> {
            emails.enqueue(contact, payload, id);
            enqueued[0]++;
        });
        jdbc.sql("insert into campaign (id, name, list_id, subject, created_by, created_at, enqueued) values (?, ?, ?, ?, ?, ?, ?)")
                .params(id, name.length() > 200 ? name.substring(0, 200) : name, request.list(), request.subject(), requestedBy,
                        OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC), enqueued[0])
                .update();
        return progress(id);
    }

    /** sent / refused / pending / failed counts of a campaign. */
    @Transactional(readOnly = true)
    public Map<String, Object> progress(String id) {
        var campaign = jdbc.sql("select id, name, list_id, subject, enqueued from campaign where id = ?")
                .param(id)
                .query((rs, n) -> {
                    var m = new LinkedHashMap<String, Object>();
                    m.put("id", rs.getString(1));
                    m.put("name", rs.getString(2));
                    m.put("list", rs.getString(3));
                    m.put("subject", rs.getString(4));
                    m.put("enqueued", rs.getInt(5));
                    return m;
                })
                .optional()
                .orElseThrow(() -> new NotFoundException("no campaign with id " + id));
        Map<String, Long> counts = outbox.progress(id);
        campaign.put("sent", counts.get("DELIVERED"));
        campaign.put("refused", counts.get("REFUSED"));
        campaign.put("pending", counts.get("PENDING") + counts.get("IN_FLIGHT"));
        campaign.put("failed", counts.get("FAILED"));
        campaign.put("engagement", engagement(id));
        return campaign;
    }

    /**
     * Opens and clicks of the campaign's messages by people, and separately what
     * {@link EngagementRules} took for link scanners (never counted as engagement).
     */
    private Map<String, Object> engagement(String campaignId) {
        var people = new LinkedHashMap<String, Object>();
        var bots = new LinkedHashMap<String, Object>();
        for (var counts : List.of(people, bots)) {
            counts.put("opens", 0L);
            counts.put("clicks", 0L);
        }
        people.put("openers", 0L);
        people.put("clickers", 0L);
        jdbc.sql("""
                select e.verdict, e.kind, count(*), count(distinct e.contact_id) from engagement e
                where e.message_id in (select o.message_id from outbox o where o.batch_id = ?)
                group by e.verdict, e.kind""")
                .param(campaignId)
                .query((rs, n) -> {
                    boolean person = EngagementRules.Verdict.PERSON.name().equals(rs.getString(1));
                    boolean open = "OPEN".equals(rs.getString(2));
                    var counts = person ? people : bots;
                    counts.put(open ? "opens" : "clicks", rs.getLong(3));
                    if (person) {
                        people.put(open ? "openers" : "clickers", rs.getLong(4));
                    }
                    return null;
                })
                .list();
        people.put("suspectedBots", bots);
        return people;
    }
}
