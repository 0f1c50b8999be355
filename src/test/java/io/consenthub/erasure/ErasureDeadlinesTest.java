package io.consenthub.erasure;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The erasure deadline, from a table written from GDPR Art. 12(3) ("within one month of receipt")
 * and Regulation 1182/71 Art. 3 (the day of the event not counted; a period in months ends at the
 * end of the day with the same date in the last month, or that month's last day), not from the code.
 * Columns: when the request was received, the controller's zone, the last instant still in time,
 * and one instant checked against it (in time or overdue).
 */
class ErasureDeadlinesTest {

    private static final String TABLE = """
            received (instant)        | zone             | deadline (last instant in time)  | checked at                | overdue
            2026-03-15T10:00:00Z      | UTC              | 2026-04-15T23:59:59.999999999Z   | 2026-04-15T23:59:59Z      | no
            2026-03-15T10:00:00Z      | UTC              | 2026-04-15T23:59:59.999999999Z   | 2026-04-16T00:00:00Z      | yes
            2026-03-15T00:00:00Z      | UTC              | 2026-04-15T23:59:59.999999999Z   | 2026-03-20T00:00:00Z      | no
            2026-01-31T12:00:00Z      | UTC              | 2026-02-28T23:59:59.999999999Z   | 2026-03-01T00:00:00Z      | yes
            2028-01-31T12:00:00Z      | UTC              | 2028-02-29T23:59:59.999999999Z   | 2028-02-29T12:00:00Z      | no
            2026-03-31T08:00:00Z      | UTC              | 2026-04-30T23:59:59.999999999Z   | 2026-05-01T00:00:00Z      | yes
            2026-12-31T23:00:00Z      | UTC              | 2027-01-31T23:59:59.999999999Z   | 2027-01-31T23:00:00Z      | no
            2026-03-14T23:30:00Z      | Europe/Stockholm | 2026-04-15T21:59:59.999999999Z   | 2026-04-15T22:00:00Z      | yes
            2026-03-14T23:30:00Z      | UTC              | 2026-04-14T23:59:59.999999999Z   | 2026-04-15T00:00:00Z      | yes
            2026-10-24T12:00:00Z      | Europe/Stockholm | 2026-11-24T22:59:59.999999999Z   | 2026-11-24T23:00:00Z      | yes
            2026-05-30T22:30:00Z      | America/New_York | 2026-07-01T03:59:59.999999999Z   | 2026-07-01T03:00:00Z      | no
            """;

    @TestFactory
    Stream<DynamicTest> everyRowOfTheTable() {
        return TABLE.lines().skip(1).filter(line -> !line.isBlank()).map(line -> {
            String[] cell = Arrays.stream(line.split("\\|")).map(String::strip).toArray(String[]::new);
            Instant received = Instant.parse(cell[0]);
            ZoneId zone = ZoneId.of(cell[1]);
            return DynamicTest.dynamicTest(cell[0] + " in " + cell[1], () -> {
                assertThat(ErasureDeadlines.deadline(received, zone)).isEqualTo(Instant.parse(cell[2]));
                assertThat(ErasureDeadlines.overdue(received, Instant.parse(cell[3]), zone)).isEqualTo(cell[4].equals("yes"));
            });
        });
    }
}
