package io.consenthub.crm.jdbc;

import io.consenthub.crm.CrmSettings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** When a reconcile is due: every case of period, cron, never-run and just-run. */
class ReconcileScheduleTest {

    @ParameterizedTest(name = "{0} {1}, last {2} (finished {3}), hub {4}, now {5} → {6}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            -           | -              | -                    | true | 2026-01-01T00:00:00Z | 2026-01-09T00:00:00Z | false
            PT1H        | -              | -                    | true | 2026-01-01T00:00:00Z | 2026-01-01T00:59:59Z | false
            PT1H        | -              | -                    | true | 2026-01-01T00:00:00Z | 2026-01-01T01:00:00Z | true
            PT1H        | -              | 2026-01-01T05:00:00Z | true | 2026-01-01T00:00:00Z | 2026-01-01T05:30:00Z | false
            PT1H        | -              | 2026-01-01T05:00:00Z | true | 2026-01-01T00:00:00Z | 2026-01-01T06:00:00Z | true
            PT1H        | -              | 2026-01-01T05:00:00Z | true | 2026-01-01T00:00:00Z | 2026-01-03T06:00:00Z | true
            -           | 0 0 3 * * *    | -                    | true | 2026-01-01T10:00:00Z | 2026-01-02T02:59:59Z | false
            -           | 0 0 3 * * *    | -                    | true | 2026-01-01T10:00:00Z | 2026-01-02T03:00:00Z | true
            -           | 0 0 3 * * *    | 2026-01-02T03:00:00Z | true | 2026-01-01T10:00:00Z | 2026-01-02T12:00:00Z | false
            -           | 0 0 3 * * *    | 2026-01-02T03:00:00Z | true | 2026-01-01T10:00:00Z | 2026-01-03T03:00:00Z | true
            -           | 0 0 3 * * *    | 2026-01-01T02:00:00Z | true | 2026-01-01T10:00:00Z | 2026-01-01T03:00:00Z | true
            -           | 0 0 3 * * *    | 2026-01-02T03:00:00Z | false | 2026-01-01T10:00:00Z | 2026-01-02T03:09:59Z | false
            -           | 0 0 3 * * *    | 2026-01-02T03:00:00Z | false | 2026-01-01T10:00:00Z | 2026-01-02T03:10:00Z | true
            PT24H       | -              | 2026-01-02T03:00:00Z | false | 2026-01-01T10:00:00Z | 2026-01-02T03:10:00Z | true
            """)
    void aReconcileIsDueOnceItsPeriodOrItsNextCronTimeHasComeAndABrokenOffOneIsRetriedSoon(
            String period, String cron, String last, boolean finished, String hub, String now, boolean due) {
        CrmSettings.Reconcile reconcile = period == null && cron == null ? null
                : new CrmSettings.Reconcile(period == null ? null : Duration.parse(period), cron);
        assertThat(ReconcileSchedule.due(reconcile, last == null ? null : Instant.parse(last), finished, Instant.parse(hub),
                Instant.parse(now), ZoneOffset.UTC)).isEqualTo(due);
    }
}
