package io.consenthub.retention;

import io.consenthub.consent.ContactQueries;
import io.consenthub.contact.ContactId;
import io.consenthub.decision.Act;
import io.consenthub.decision.ConsentDecisions;
import io.consenthub.decision.Decision;
import io.consenthub.erasure.ErasureJobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Retention (GDPR Art. 5(1)(e), storage limitation): contacts who granted nothing and did nothing
 * for {@code consent-hub.retention.inactive-for} are candidates — whether their data may be kept
 * is the decision service's {@link Act.KeepData} question, so the rule lives with every other
 * "may we?". Candidates are listed for review or, as configured, anonymised by an erasure job
 * (suppression, hub data, keys, scan and certificate); every anonymisation is recorded with its
 * rule in {@code retention_action}. Consent counts in the reports stand: anonymisation keeps the
 * contact's consent state.
 */
@Service("retention")
public class Retention {

    /** The requester an erasure job started by retention names. */
    public static final String REQUESTED_BY = "retention";
    private static final Logger log = LoggerFactory.getLogger(Retention.class);
    private static final int PAGE = 500;

    private final RetentionStore store;
    private final ContactQueries queries;
    private final ConsentDecisions decisions;
    private final ErasureJobs erasure;
    private final RetentionSettings settings;
    private final TransactionTemplate tx;
    private final Clock clock;

    Retention(RetentionStore store, ContactQueries queries, ConsentDecisions decisions, ErasureJobs erasure, RetentionSettings settings,
              TransactionTemplate tx, Clock clock) {
        this.store = store;
        this.queries = queries;
        this.decisions = decisions;
        this.erasure = erasure;
        this.settings = settings;
        this.tx = tx;
        this.clock = clock;
    }

    /** A contact nothing justifies keeping: their last activity and the rule that said so. */
    public record Candidate(ContactId contactId, Instant lastActivity, long inactiveDays, String rule, String reason) {
    }

    /** The review list: the settings it was made under and up to {@code limit} candidates, by contact id. */
    public record Review(Duration inactiveFor, String action, Instant inactiveBefore, List<Candidate> candidates) {
    }

    public Review review(int limit) {
        Instant now = clock.instant();
        Instant before = now.minus(settings.inactiveFor());
        return new Review(settings.inactiveFor(), settings.action().name().toLowerCase(java.util.Locale.ROOT), before,
                candidates(now, before, limit));
    }

    /** The candidates the route anonymises now: none unless the action is {@code anonymise}. */
    public List<Candidate> due() {
        if (settings.action() != RetentionSettings.Action.ANONYMISE) {
            return List.of();
        }
        Instant now = clock.instant();
        return candidates(now, now.minus(settings.inactiveFor()), settings.batchSize());
    }

    /**
     * Starts the erasure job of one candidate, after asking again (the contact may have acted since
     * the list was made), and records it. Returns the job, or null when the contact is kept after all.
     */
    public UUID anonymise(Candidate candidate) {
        Instant now = clock.instant();
        Optional<RetentionStore.Inactive> activity = store.activityOf(candidate.contactId());
        if (activity.isEmpty()) {
            return null;
        }
        Instant last = latest(activity.get(), queries.lastEventAt(List.of(candidate.contactId())));
        Decision keep = decisions.decide(candidate.contactId(), new Act.KeepData(last, now.minus(settings.inactiveFor())));
        if (keep.allowed() || "unknown-contact".equals(keep.rule())) {
            log.info("retention: contact {} is kept after all ({})", candidate.contactId(), keep.rule());
            return null;
        }
        // the job and its record commit together: no anonymisation goes unrecorded
        UUID job = tx.execute(s -> {
            UUID started = erasure.start(candidate.contactId(), REQUESTED_BY, "retention: " + keep.reason(),
                    new ErasureJobs.Scope(settings.eraseInCrms(), false));
            store.recordAction(candidate.contactId(), "ANONYMISE", keep.rule(), last, started, now);
            return started;
        });
        log.info("retention: contact {} inactive since {}: erasure job {} started", candidate.contactId(), last, job);
        return job;
    }

    private static Instant latest(RetentionStore.Inactive inactive, Map<ContactId, Instant> lastEvents) {
        Instant lastEvent = lastEvents.get(inactive.contact());
        return lastEvent != null && lastEvent.isAfter(inactive.lastActivity()) ? lastEvent : inactive.lastActivity();
    }

    private List<Candidate> candidates(Instant now, Instant before, int limit) {
        var candidates = new ArrayList<Candidate>();
        UUID after = null;
        while (candidates.size() < limit) {
            List<RetentionStore.Inactive> page = store.inactiveSince(before, after, PAGE);
            Map<ContactId, Instant> lastEvents = queries.lastEventAt(page.stream().map(RetentionStore.Inactive::contact).toList());
            for (RetentionStore.Inactive inactive : page) {
                Instant last = latest(inactive, lastEvents);
                Decision keep = decisions.decide(inactive.contact(), new Act.KeepData(last, before));
                if (!keep.allowed() && candidates.size() < limit) {
                    candidates.add(new Candidate(inactive.contact(), last, Duration.between(last, now).toDays(), keep.rule(),
                            keep.reason()));
                }
            }
            if (page.size() < PAGE) {
                break;
            }
            after = page.get(page.size() - 1).contact().value();
        }
        return candidates;
    }
}
