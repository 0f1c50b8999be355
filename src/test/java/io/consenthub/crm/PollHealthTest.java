package io.consenthub.crm;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** When a connector counts as failing for the health endpoint: failing every poll for the threshold. */
class PollHealthTest {

    private static final Instant SINCE = Instant.parse("2026-11-30T10:00:00Z");
    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

    private static PollHealth failing(int inARow) {
        return new PollHealth("crm", SINCE.plusSeconds(60), PollHealth.Outcome.FAILED, "BadSqlGrammarException",
                inARow, SINCE, null);
    }

    @Test
    void aConnectorFailingShorterThanTheThresholdIsNotFailing() {
        assertThat(failing(3).failingFor(FIVE_MINUTES, SINCE.plus(Duration.ofMinutes(4)))).isFalse();
    }

    @Test
    void aConnectorFailingForTheThresholdIsFailing() {
        assertThat(failing(5).failingFor(FIVE_MINUTES, SINCE.plus(FIVE_MINUTES))).isTrue();
        assertThat(failing(9).failingFor(FIVE_MINUTES, SINCE.plus(Duration.ofHours(2)))).isTrue();
    }

    @Test
    void aConnectorWhoseLastPollSucceededIsNeverFailing() {
        var recovered = new PollHealth("crm", SINCE, PollHealth.Outcome.SUCCESS, null, 0, null, SINCE);
        assertThat(recovered.failingFor(Duration.ZERO, SINCE.plus(Duration.ofDays(1)))).isFalse();
    }

    @Test
    void aZeroThresholdCountsTheFirstFailedPoll() {
        assertThat(failing(1).failingFor(Duration.ZERO, SINCE)).isTrue();
    }
}
