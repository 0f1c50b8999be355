package io.consenthub.email;

import io.consenthub.consent.optin.EmailOptInStatus;
import io.consenthub.contact.ContactId;
import io.consenthub.support.ApiClient;
import io.consenthub.support.ContactFixtures;
import io.consenthub.support.TestKeys;
import io.consenthub.support.TestMailServer;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Link scanners against the tracking endpoints of a real campaign mail: a HEAD records nothing, a
 * scanner's user agent and a burst right after delivery are stored as suspected bots, and the
 * campaign's engagement report counts only the person. Run per store by the subclasses.
 */
abstract class LinkScannerContract {

    private static final Pattern LINK = Pattern.compile("http://localhost:8080(/t/[oc]/[A-Za-z0-9_-]+)");
    private static final String BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

    @LocalServerPort
    int port;
    @Autowired
    ContactFixtures fixtures;
    @Autowired
    JdbcTemplate db;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private int hit(String method, String path, String userAgent) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (userAgent != null) {
            request.header("User-Agent", userAgent);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static List<String> links(MimeMessage message) throws Exception {
        message.getContent();
        String body = com.icegreen.greenmail.util.GreenMailUtil.getBody(message).replace("=\r\n", "").replace("=3D", "=");
        var found = new java.util.ArrayList<String>();
        var m = LINK.matcher(body);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found.stream().distinct().toList();
    }

    private List<String> mailLinks(String address) throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> TestMailServer.receivedBy(address).size() >= 1);
        return links(TestMailServer.receivedBy(address).get(0));
    }

    private List<String> verdicts(ContactId contact) {
        return db.queryForList("select verdict from engagement where contact_id = ? order by id", String.class, contact.value());
    }

    @Test
    void scannersAreMarkedAsSuspectedBotsAndTheReportCountsOnlyThePerson() throws Exception {
        TestMailServer.get();
        String scanned = ContactFixtures.uniqueEmail("scanned");
        String burst = ContactFixtures.uniqueEmail("burst");
        String person = ContactFixtures.uniqueEmail("person");
        ContactId scannedId = fixtures.contact(scanned, EmailOptInStatus.DOUBLE_OPT_IN, "product-news", "engagement-tracking");
        ContactId burstId = fixtures.contact(burst, EmailOptInStatus.DOUBLE_OPT_IN, "product-news", "engagement-tracking");
        ContactId personId = fixtures.contact(person, EmailOptInStatus.DOUBLE_OPT_IN, "product-news", "engagement-tracking");
        var api = new ApiClient(port);
        String campaign = api.post("/api/campaigns", TestKeys.USER, ApiClient.json(Map.of("list", "product-news",
                "subject", "Offers", "text", "See https://example.com/a and https://example.com/b",
                "html", "<p><a href=\"https://example.com/a\">A</a> <a href=\"https://example.com/b\">B</a></p>")))
                .json().get("id").asText();

        List<String> scannedLinks = mailLinks(scanned);
        List<String> burstLinks = mailLinks(burst);
        List<String> personLinks = mailLinks(person);
        assertThat(scannedLinks).hasSizeGreaterThanOrEqualTo(3);

        for (String link : scannedLinks) {
            assertThat(hit("HEAD", link, BROWSER)).isIn(200, 302);
        }
        assertThat(verdicts(scannedId)).as("HEAD records nothing").isEmpty();

        for (String link : scannedLinks) {
            hit("GET", link, "Mozilla/5.0 (compatible; Barracuda Sentinel)");
        }
        assertThat(verdicts(scannedId)).hasSize(scannedLinks.size()).containsOnly("SUSPECTED_BOT");

        for (String link : burstLinks) {
            hit("GET", link, BROWSER);
        }
        assertThat(verdicts(burstId)).as("a burst right after delivery, the earlier hits included")
                .hasSize(burstLinks.size()).containsOnly("SUSPECTED_BOT");

        String pixel = personLinks.stream().filter(l -> l.startsWith("/t/o/")).findFirst().orElseThrow();
        assertThat(hit("GET", pixel, BROWSER)).isEqualTo(200);
        assertThat(verdicts(personId)).containsExactly("PERSON");

        var engagement = api.get("/api/campaigns/" + campaign, TestKeys.USER).json().get("engagement");
        assertThat(engagement.get("opens").asLong()).isEqualTo(1);
        assertThat(engagement.get("openers").asLong()).isEqualTo(1);
        assertThat(engagement.get("clicks").asLong()).isZero();
        assertThat(engagement.get("suspectedBots").get("opens").asLong()).isEqualTo(2);
        assertThat(engagement.get("suspectedBots").get("clicks").asLong()).isEqualTo(scannedLinks.size() - 1 + burstLinks.size() - 1);
    }
}
