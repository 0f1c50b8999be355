package io.consenthub.erasure;

import io.consenthub.consent.ContactQueries;
import io.consenthub.consent.PurposeKind;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The open erasure requests — contacts whose answer to the erasure purpose is "yes", given on the
 * preference page and confirmed — each with its age and its deadline under GDPR Art. 12(3)
 * ({@link ErasureDeadlines}), so an operator sees which must be answered first and a metric can
 * alert before the oldest is late.
 */
@Service
public class ErasureRequests {

    /** One open request: when it was made (the ledger event that recorded it) and by when it must be answered. */
    public record OpenRequest(String contactId, long eventSeq, Instant requestedAt, Instant deadline, long ageDays,
                              long daysLeft, boolean overdue, String jobState) {
    }

    private final ContactQueries queries;
    private final ErasureSettings settings;
    private final Clock clock;

    private final ErasureJobStore jobs;

    ErasureRequests(ContactQueries queries, ErasureSettings settings, Clock clock, MeterRegistry meters, ErasureJobStore jobs) {
        this.queries = queries;
        this.jobs = jobs;
        this.settings = settings;
        this.clock = clock;
        Gauge.builder("consent_hub.erasure.requests.open", this, r -> r.open().size())
                .description("Erasure requests not yet carried out").register(meters);
        Gauge.builder("consent_hub.erasure.requests.oldest.age", this, r -> r.oldestAge().toSeconds())
                .baseUnit("seconds").description("Age of the oldest open erasure request (0 when none); the GDPR deadline is one month")
                .register(meters);
        Gauge.builder("consent_hub.erasure.requests.overdue", this, r -> r.open().stream().filter(OpenRequest::overdue).count())
                .description("Open erasure requests past their one-month deadline").register(meters);
    }

    /** Every open request (no erasure job done for it yet), oldest first; {@code jobState} is its job's, if one runs. */
    public List<OpenRequest> open() {
        Instant now = clock.instant();
        var states = new java.util.HashMap<io.consenthub.contact.ContactId, String>();
        jobs.all().forEach((contact, job) -> states.put(contact, job.state()));
        return openAnswers(states).stream().map(answer -> {
            Instant deadline = ErasureDeadlines.deadline(answer.since(), settings.zone());
            return new OpenRequest(answer.contact().value().toString(), answer.eventSeq(), answer.since(), deadline,
                    Duration.between(answer.since(), now).toDays(),
                    daysLeft(now, deadline),
                    ErasureDeadlines.overdue(answer.since(), now, settings.zone()), states.get(answer.contact()));
        }).toList();
    }

    private List<ContactQueries.StandingAnswer> openAnswers(java.util.Map<io.consenthub.contact.ContactId, String> states) {
        return queries.grantedOfKind(PurposeKind.ERASURE).stream()
                .filter(answer -> !ErasureJobStore.DONE.equals(states.get(answer.contact()))).toList();
    }

    /** Whole days left, rounded up (23 hours left is 1 day, not 0); 0 once the deadline has passed. */
    static long daysLeft(Instant now, Instant deadline) {
        if (!now.isBefore(deadline)) {
            return 0;
        }
        Duration left = Duration.between(now, deadline);
        return left.toDays() + (left.minusDays(left.toDays()).isZero() ? 0 : 1);
    }

    /** How long the oldest open request has waited; zero when none is open. */
    public Duration oldestAge() {
        var states = new java.util.HashMap<io.consenthub.contact.ContactId, String>();
        jobs.all().forEach((contact, job) -> states.put(contact, job.state()));
        var open = openAnswers(states);
        return open.isEmpty() ? Duration.ZERO : Duration.between(open.get(0).since(), clock.instant());
    }
}
