package io.consenthub.consent;

import io.consenthub.consent.optin.EmailOptInStatus;
import io.consenthub.contact.ContactId;
import io.consenthub.support.ContactFixtures;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.Status;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scheduled ledger verification finds tampering by itself: nobody calls verify, the route runs
 * every few hundred milliseconds over slices of two contacts. A hand-edited projection row turns the
 * {@code ledger} health indicator and its metric, stays open until a whole cycle is clean, and a
 * hand-edited ledger row is found the same way. Run per store by the subclasses.
 */
abstract class LedgerWatchContract {

    @Autowired
    ContactFixtures fixtures;
    @Autowired
    JdbcTemplate db;
    @Autowired
    LedgerHealth health;
    @Autowired
    LedgerWatch watch;
    @Autowired
    MeterRegistry meters;
    @Autowired
    LedgerCheckpoints checkpoints;


    private double openProblemsMetric() {
        return meters.get("consent_ledger_verification_open_problems").gauge().value();
    }

    private long cycles() {
        return watch.status().cyclesCompleted();
    }

    @Test
    void aHandEditedProjectionRowOrLedgerRowIsFoundByTheScheduleAlone() {
        ContactId victim = null;
        for (int i = 0; i < 5; i++) {
            ContactId id = fixtures.contact(ContactFixtures.uniqueEmail("watched-" + i), EmailOptInStatus.SINGLE_OPT_IN_USER, "newsletter");
            victim = i == 3 ? id : victim;
        }
        long cyclesBefore = cycles();
        java.util.UUID last = victim.value();
        await().atMost(Duration.ofSeconds(30)).until(() -> checkpoints.latest().isPresent()
                && db.queryForObject("select count(*) from ledger_sealed_head where contact_id = ?", Long.class, last) == 1);
        long sealed = checkpoints.latest().orElseThrow().id();
        await().atMost(Duration.ofSeconds(30)).until(() -> cycles() >= cyclesBefore + 2 && watch.status().verifiedCheckpoint() >= sealed);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        assertThat(openProblemsMetric()).isZero();

        db.update("update consent_state set state_value = 'OPT_OUT_USER' where contact_id = ? and subject = 'email-opt-in'", victim.value());

        await().atMost(Duration.ofSeconds(30)).until(() -> health.health().getStatus().equals(Status.DOWN));
        assertThat(openProblemsMetric()).isPositive();
        assertThat(health.health().getDetails().get("lastProblem").toString())
                .contains("projection-mismatch").contains(victim.value().toString());

        db.update("update consent_state set state_value = 'SINGLE_OPT_IN_USER' where contact_id = ? and subject = 'email-opt-in'", victim.value());
        await().atMost(Duration.ofSeconds(30)).until(() -> health.health().getStatus().equals(Status.UP));
        assertThat(openProblemsMetric()).isZero();

        long oldRow = db.queryForObject("select min(seq) from consent_event where contact_id = ?", Long.class, victim.value());
        db.update("update consent_event set channel = 'forged' where seq = ?", oldRow);

        await().atMost(Duration.ofSeconds(30)).until(() -> health.health().getStatus().equals(Status.DOWN)
                && health.health().getDetails().get("lastProblem").toString().contains("edited at seq " + oldRow));
    }
}
