package io.consenthub.links;

import io.consenthub.consent.optin.EmailOptIn;
import io.consenthub.consent.optin.EmailOptInStatus;
import io.consenthub.contact.Attributes;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.EmailAddress;
import io.consenthub.support.ContactFixtures;
import io.consenthub.support.HubTest;
import io.consenthub.support.TestMailServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-contact budgets of the confirmation pages against a mail scanner: its burst of GETs and
 * HEADs from a datacentre address is refused once its share is used up, and the person who then
 * opens the link from their own address and presses the button is not. Client addresses come from
 * X-Forwarded-For, as behind the production proxy.
 */
@HubTest
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:h2:mem:token-rate-limits;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1",
        "server.forward-headers-strategy=native",
        "consent-hub.links.views-per-minute-per-contact-and-ip=5",
        "consent-hub.links.actions-per-minute-per-contact=5",
        "consent-hub.preferences.requests-per-minute-per-contact=5"})
class TokenEndpointRateLimitTest {

    private static final String SCANNER = "198.51.100.20";
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @LocalServerPort
    int port;
    @Autowired
    LinkTokens tokens;
    @Autowired
    ContactDirectory contacts;
    @Autowired
    EmailOptIn optIn;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JdbcTemplate db;

    private final HttpClient http = HttpClient.newHttpClient();

    private ContactId contact() {
        TestMailServer.get();
        return tx.execute(s -> contacts.create(new EmailAddress(ContactFixtures.uniqueEmail("rate")),
                new Attributes(Map.of("region", "EU")), List.of()).id());
    }

    private HttpResponse<String> send(String method, String path, String ip, String cookie, String form) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("X-Forwarded-For", ip)
                .header("User-Agent", ip.equals(SCANNER) ? "LinkScanner/1.0" : "Mozilla/5.0 Person");
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        if (form != null) {
            request.header("Content-Type", "application/x-www-form-urlencoded");
        }
        request.method(method, form == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(form));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<Integer> scannerBurst(String path) throws Exception {
        var statuses = new ArrayList<Integer>();
        for (int i = 0; i < 12; i++) {
            statuses.add(send(i % 3 == 0 ? "HEAD" : "GET", path, SCANNER, null, null).statusCode());
        }
        return statuses;
    }

    /** Opens the page as the person and presses its button, with the CSRF cookie and field the page gave. */
    private HttpResponse<String> personPresses(String path, String ip) throws Exception {
        var page = send("GET", path, ip, null, null);
        assertThat(page.statusCode()).as("the person's GET after the scanner's burst").isEqualTo(200);
        Matcher csrf = CSRF.matcher(page.body());
        assertThat(csrf.find()).as(page.body()).isTrue();
        String cookie = page.headers().allValues("Set-Cookie").stream().map(c -> c.split(";", 2)[0])
                .reduce((a, b) -> a + "; " + b).orElseThrow();
        return send("POST", path, ip, cookie, "_csrf=" + URLEncoder.encode(csrf.group(1).replace("&#x3d;", "="), StandardCharsets.UTF_8));
    }

    @Test
    void aScannersBurstOnTheDoubleOptInPageIsLimitedAndThePersonStillConfirms() throws Exception {
        ContactId id = contact();
        String path = "/confirm/double-opt-in/" + tokens.issue(TokenPurpose.DOUBLE_OPT_IN, id, "<rate@test>", Duration.ofHours(1)).token();

        List<Integer> burst = scannerBurst(path);

        assertThat(burst.subList(0, 5)).containsOnly(200);
        assertThat(burst.subList(5, burst.size())).as("the scanner's share is used up").containsOnly(429);
        var confirmed = personPresses(path, "203.0.113.5");
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
        assertThat(confirmed.body()).contains("Your subscription is confirmed.");
        assertThat(optIn.status(id)).isEqualTo(EmailOptInStatus.DOUBLE_OPT_IN);
    }

    @Test
    void aScannersBurstOnAChangeConfirmationLeavesThePersonsButtonWorking() throws Exception {
        ContactId id = contact();
        String changeSet = java.util.UUID.randomUUID().toString();
        db.update("insert into preference_change (id, contact_id, changes, status, created_at) values (?, ?, ?, 'PENDING', ?)",
                changeSet, id.value(), "[{\"purpose\":\"newsletter\",\"granted\":true}]", java.time.OffsetDateTime.now());
        String path = "/p/confirm/" + tokens.issue(TokenPurpose.PREFERENCE_CHANGE, id, changeSet, Duration.ofHours(1)).token();

        List<Integer> burst = scannerBurst(path);

        assertThat(burst.subList(5, burst.size())).containsOnly(429);
        var applied = personPresses(path, "203.0.113.6");
        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
        assertThat(applied.body()).contains("Your changes are saved").contains("Yes to: Monthly newsletter");
    }

    @Test
    void actingOnOneContactsLinksIsLimitedPerContactFromEveryAddress() throws Exception {
        ContactId id = contact();
        String path = "/u/" + tokens.issue(TokenPurpose.UNSUBSCRIBE, id, "<rate-u@test>", Duration.ofHours(1)).token();
        var statuses = new ArrayList<Integer>();
        for (int i = 0; i < 7; i++) {
            statuses.add(send("POST", path, "192.0.2." + (10 + i), null, "List-Unsubscribe=One-Click").statusCode());
        }
        assertThat(statuses.subList(0, 5)).containsOnly(200);
        assertThat(statuses.subList(5, 7)).containsOnly(429);
    }
}
