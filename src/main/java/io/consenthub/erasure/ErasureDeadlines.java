package io.consenthub.erasure;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * When an erasure request must be answered: GDPR Art. 12(3) gives the controller one month from
 * receipt. A period in months is counted as EU Regulation 1182/71 (Art. 3) counts it: the day of
 * the request is not counted, and the period ends at the end of the day in the next month that has
 * the same date as the request's day, or, where that month has no such date, at the end of its
 * last day (31 January → 28 or 29 February). Days are the controller's calendar days, in
 * {@code zone}.
 *
 * <p>The regulation moves a deadline falling on a weekend or public holiday to the next working
 * day; the hub does not, because it cannot know every state's holidays: its deadline is never later
 * than the law's, only sometimes earlier. Art. 12(3)'s extension by two further months needs the
 * contact to be told why, and is not modelled here. Pure rules, tested by {@code ErasureDeadlinesTest}.
 */
public final class ErasureDeadlines {

    private ErasureDeadlines() {
    }

    /** The last instant on which a request made at {@code requestedAt} is answered in time. */
    public static Instant deadline(Instant requestedAt, ZoneId zone) {
        LocalDate received = requestedAt.atZone(zone).toLocalDate();
        // plusMonths keeps the day of month, or takes the month's last day when it has fewer days
        LocalDate lastDay = received.plusMonths(1);
        return ZonedDateTime.of(lastDay.plusDays(1).atStartOfDay(), zone).toInstant().minusNanos(1);
    }

    /** Whether a request made at {@code requestedAt} and still open at {@code now} is past its deadline. */
    public static boolean overdue(Instant requestedAt, Instant now, ZoneId zone) {
        return now.isAfter(deadline(requestedAt, zone));
    }
}
