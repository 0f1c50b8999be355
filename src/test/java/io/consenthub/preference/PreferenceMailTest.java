package io.consenthub.preference;

import io.consenthub.contact.Attributes;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.EmailAddress;
import io.consenthub.links.LinkTokens;
import io.consenthub.links.TokenPurpose;
import io.consenthub.support.ApiClient;
import io.consenthub.support.ContactFixtures;
import io.consenthub.support.HubTest;
import io.consenthub.support.TestKeys;
import io.consenthub.support.TestMailServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The mails around the preference page: the one-time announcement, the footer link, and the rate limit on its links. */
@HubTest
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:h2:mem:preference-mail;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1",
        "consent-hub.links.views-per-minute-per-contact-and-ip=5"})
class PreferenceMailTest {

    @LocalServerPort
    int port;
    @Autowired
    PreferenceNotices notices;
    @Autowired
    ContactDirectory contacts;
    @Autowired
    LinkTokens tokens;
    @Autowired
    TransactionTemplate tx;

    @BeforeEach
    void mailServerIsUp() {
        TestMailServer.get();
    }

    private ContactId contact(String email, String region) {
        return tx.execute(s -> contacts.create(new EmailAddress(email), new Attributes(Map.of("region", region)), List.of()).id());
    }

    @Test
    void contactsMatchingTheNotifyConditionAreToldAboutThePageExactlyOnce() {
        String eu = ContactFixtures.uniqueEmail("notify-eu");
        String us = ContactFixtures.uniqueEmail("notify-us");
        contact(eu, "EU");
        contact(us, "US");

        notices.notifyDue();
        notices.notifyDue();

        await().atMost(Duration.ofSeconds(20)).until(() -> TestMailServer.receivedBy(eu).size() == 1);
        String body = com.icegreen.greenmail.util.GreenMailUtil.getBody(TestMailServer.receivedBy(eu).get(0)).replace("=\r\n", "");
        assertThat(body).containsPattern("http://localhost:8080/p/[A-Za-z0-9_-]{43}");
        assertThat(body.split("http://localhost:8080/p/", -1)).as("one personal link, no footer repeating it").hasSize(2);
        assertThat(TestMailServer.receivedBy(us)).isEmpty();
    }

    @Test
    void userEmailsCarryAFooterWithTheContactsPersonalPreferenceLink() {
        String email = ContactFixtures.uniqueEmail("footer");
        ContactId id = contact(email, "US");

        var sent = new ApiClient(port).post("/api/emails", TestKeys.USER, ApiClient.json(Map.of(
                "contactId", id.toString(), "kind", "AD_HOC", "subject", "Your quote", "text", "Here it is.")));

        assertThat(sent.status()).as(sent.text()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> TestMailServer.receivedBy(email).size() == 1);
        String body = com.icegreen.greenmail.util.GreenMailUtil.getBody(TestMailServer.receivedBy(email).get(0)).replace("=\r\n", "");
        assertThat(body).contains("Here it is.").containsPattern("Manage your privacy and email preferences: http://localhost:8080/p/[A-Za-z0-9_-]{43}");
    }

    @Test
    void tooManyRequestsForOneContactsLinksGetAReadable429() throws Exception {
        ContactId id = contact(ContactFixtures.uniqueEmail("limited"), "EU");
        String token = tokens.issue(TokenPurpose.PREFERENCES, id, "test", Duration.ofDays(1)).token();
        var http = HttpClient.newHttpClient();
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/p/" + token)).build();
        int ok = 0;
        HttpResponse<String> last = null;
        for (int i = 0; i < 8; i++) {
            last = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (last.statusCode() == 200) {
                ok++;
            }
        }
        assertThat(ok).isEqualTo(5);
        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(last.body()).contains("Too many requests").contains("Please wait a minute");
    }
}
