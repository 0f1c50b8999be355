package io.consenthub.email;

import io.consenthub.email.EngagementRules.Hit;
import io.consenthub.email.EngagementRules.Verdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Every rule of {@link EngagementRules}, as a table: method, user agent, seconds since delivery, earlier hits in the burst window. */
class EngagementRulesTest {

    private static final String BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";

    @ParameterizedTest(name = "{0} {1} at {2}s after {3} hits -> {4} ({5})")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // HEAD never counts, whoever sends it
            "HEAD | " + BROWSER + "                                      | 3600 | 0 | IGNORED       | head-request",
            "HEAD | Microsoft Office/16.0 SafeLinks                      | 1    | 5 | IGNORED       | head-request",
            // no user agent, known scanners and HTTP libraries
            "GET  | -                                                    | 3600 | 0 | SUSPECTED_BOT | no-user-agent",
            "GET  | '   '                                                | 3600 | 0 | SUSPECTED_BOT | no-user-agent",
            "GET  | Mozilla/5.0 (compatible; Barracuda Sentinel)         | 3600 | 0 | SUSPECTED_BOT | scanner-user-agent",
            "GET  | Proofpoint URL Defense                               | 3600 | 0 | SUSPECTED_BOT | scanner-user-agent",
            "GET  | Mozilla/5.0 (compatible; bingbot/2.0)                | 3600 | 0 | SUSPECTED_BOT | scanner-user-agent",
            "GET  | Mozilla/5.0 HeadlessChrome/120.0                     | 3600 | 0 | SUSPECTED_BOT | scanner-user-agent",
            "GET  | python-requests/2.31                                 | 3600 | 0 | SUSPECTED_BOT | scanner-user-agent",
            "GET  | curl/8.5.0                                           | 3600 | 0 | SUSPECTED_BOT | scanner-user-agent",
            "GET  | Go-http-client/1.1                                   | 3600 | 0 | SUSPECTED_BOT | scanner-user-agent",
            // a burst right after delivery
            "GET  | " + BROWSER + "                                      | 1    | 2 | SUSPECTED_BOT | burst-after-delivery",
            "GET  | " + BROWSER + "                                      | 10   | 7 | SUSPECTED_BOT | burst-after-delivery",
            // early but no burst: a person watching their inbox
            "GET  | " + BROWSER + "                                      | 1    | 0 | PERSON        | person",
            "GET  | " + BROWSER + "                                      | 2    | 1 | PERSON        | person",
            // a burst, but long after delivery: a person clicking through
            "GET  | " + BROWSER + "                                      | 11   | 5 | PERSON        | person",
            "GET  | " + BROWSER + "                                      | 3600 | 2 | PERSON        | person",
            // delivery time unknown: only the user agent can tell
            "GET  | " + BROWSER + "                                      | -    | 9 | PERSON        | person",
            // Gmail's image proxy fetches the pixel when the person opens the mail
            "GET  | Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy) | 600 | 0 | PERSON | person",
    })
    void classifiesEachHit(String method, String agent, Long seconds, int earlier, Verdict verdict, String rule) {
        var hit = new Hit(method, agent, seconds == null ? null : Duration.ofSeconds(seconds), earlier);

        var classification = EngagementRules.classify(hit, EngagementRules.DEFAULTS);

        assertThat(classification.verdict()).isEqualTo(verdict);
        assertThat(classification.rule()).isEqualTo(rule);
    }
}
