package io.consenthub.email;

import io.consenthub.contact.ContactId;
import io.consenthub.decision.EmailKind;
import io.consenthub.consent.optin.EmailOptIn;
import io.consenthub.consent.optin.EmailOptInStatus;
import io.consenthub.support.ApiClient;
import io.consenthub.support.ContactFixtures;
import io.consenthub.support.HubTest;
import io.consenthub.support.TestKeys;
import io.consenthub.support.TestMailServer;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Outbound email end to end against GreenMail: headers, one-click, the reply rule, outages, double opt-in, tracking, campaigns. */
@HubTest
@Import(ContactFixtures.class)
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:h2:mem:email-delivery;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1",
        "consent-hub.email.inbound.enabled=true",
        "consent-hub.email.inbound.poll-period=200",
        "consent-hub.email.inbound.username=hub@consent-hub.local"})
class EmailDeliveryTest {

    private static final Pattern LINK = Pattern.compile("http://localhost:8080(/[A-Za-z0-9/_-]+)");

    @LocalServerPort
    int port;
    @Autowired
    ContactFixtures fixtures;
    @Autowired
    Emails emails;
    @Autowired
    EmailOptIn optIn;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JdbcTemplate db;
    @Autowired
    io.consenthub.consent.ConsentLedger ledger;
    @Autowired
    CamelContext camel;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeEach
    void mailServerIsUp() {
        TestMailServer.get();
    }

    private List<MimeMessage> awaitMail(String address, int count) {
        TestMailServer.get();
        await().atMost(Duration.ofSeconds(20)).until(() -> TestMailServer.receivedBy(address).size() >= count);
        return TestMailServer.receivedBy(address);
    }

    private String statusOf(String messageId) {
        return db.queryForObject("select status from outbox where message_id = ?", String.class, messageId);
    }

    private String awaitFinished(String messageId) {
        TestMailServer.get();
        await().atMost(Duration.ofSeconds(20)).until(() -> List.of("DELIVERED", "REFUSED", "FAILED").contains(statusOf(messageId)));
        return statusOf(messageId);
    }

    private static String body(MimeMessage message) {
        try {
            message.getContent();
            return com.icegreen.greenmail.util.GreenMailUtil.getBody(message).replace("=\r\n", "").replace("=3D", "=");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String link(MimeMessage message, String prefix) {
        var m = LINK.matcher(body(message));
        while (m.find()) {
            if (m.group(1).startsWith(prefix)) {
                return m.group(1);
            }
        }
        throw new AssertionError("no link starting " + prefix + " in " + body(message));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postForm(String path, String form, String cookie) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/x-www-form-urlencoded").header("User-Agent", "test-browser/1.0");
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void campaignMailCarriesItsKindOneClickUnsubscribeHeadersAndTheFooterLink() throws Exception {
        String address = ContactFixtures.uniqueEmail("campaign");
        fixtures.contact(address, EmailOptInStatus.DOUBLE_OPT_IN, "newsletter");
        var started = new ApiClient(port).post("/api/campaigns", TestKeys.USER, ApiClient.json(Map.of(
                "name", "n", "list", "newsletter", "subject", "November", "text", "Hello")));
        assertThat(started.status()).as(started.text()).isEqualTo(202);

        MimeMessage mail = awaitMail(address, 1).get(0);

        assertThat(TestMailServer.header(mail, EmailComposer.KIND_HEADER)).isEqualTo("CAMPAIGN");
        assertThat(TestMailServer.header(mail, "List-Unsubscribe-Post")).isEqualTo("List-Unsubscribe=One-Click");
        String listUnsubscribe = TestMailServer.header(mail, "List-Unsubscribe");
        assertThat(listUnsubscribe).matches("<http://localhost:8080/u/[A-Za-z0-9_-]{43}>");
        assertThat(body(mail)).contains("Manage your email preferences or unsubscribe: http://localhost:8080/u/");
        String campaignId = started.json().get("id").asText();
        await().atMost(Duration.ofSeconds(10)).until(() -> new ApiClient(port).get("/api/campaigns/" + campaignId, TestKeys.USER)
                .json().get("sent").asInt() >= 1);
    }

    @Test
    void theOneClickPostOptsOutAtOnceSendsANoticeAndAGetChangesNothing() throws Exception {
        String address = ContactFixtures.uniqueEmail("one-click");
        ContactId contact = fixtures.contact(address, EmailOptInStatus.DOUBLE_OPT_IN, "newsletter");
        new ApiClient(port).post("/api/campaigns", TestKeys.USER, ApiClient.json(Map.of(
                "list", "newsletter", "subject", "Deals", "text", "Hello")));
        String unsubscribe = TestMailServer.header(awaitMail(address, 1).get(0), "List-Unsubscribe").replaceAll("^<http://localhost:8080|>$", "");

        assertThat(get(unsubscribe).statusCode()).isEqualTo(200);
        assertThat(optIn.status(contact)).isEqualTo(EmailOptInStatus.DOUBLE_OPT_IN);

        var oneClick = postForm(unsubscribe, "List-Unsubscribe=One-Click", null);

        assertThat(oneClick.statusCode()).isEqualTo(200);
        assertThat(optIn.status(contact)).isEqualTo(EmailOptInStatus.OPT_OUT_CONTACT);
        assertThat(db.queryForObject("select channel from consent_event where contact_id = ? order by seq desc limit 1",
                String.class, contact.value())).isEqualTo("one-click-unsubscribe");
        var notice = awaitMail(address, 2).get(1);
        assertThat(TestMailServer.header(notice, EmailComposer.KIND_HEADER)).isEqualTo("NOTICE");
    }

    @Autowired
    io.consenthub.links.LinkTokens tokens;

    @Test
    void aOneClickPostSentAsMultipartFormDataAsRfc8058RecommendsOptsOutToo() throws Exception {
        ContactId contact = fixtures.contact(ContactFixtures.uniqueEmail("multipart"), EmailOptInStatus.DOUBLE_OPT_IN);
        String token = tokens.issue(io.consenthub.links.TokenPurpose.UNSUBSCRIBE, contact, "test", Duration.ofDays(1)).token();
        String boundary = "----hub" + System.nanoTime();
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--" + boundary + "--\r\n";

        var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/u/" + token))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(optIn.status(contact)).isEqualTo(EmailOptInStatus.OPT_OUT_CONTACT);
    }

    @Test
    void aReplyToTheContactsOwnMessageGoesOutEvenAfterOptOutButNothingElseDoes() throws Exception {
        String address = ContactFixtures.uniqueEmail("writer");
        ContactId contact = fixtures.contact(address, EmailOptInStatus.OPT_OUT_CONTACT);
        String inboundId = "<question-" + System.nanoTime() + "@mail.example.org>";
        var props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(TestMailServer.SMTP_PORT));
        TestMailServer.get();
        var question = new MimeMessage(Session.getInstance(props)) {
            @Override
            protected void updateMessageID() throws jakarta.mail.MessagingException {
                setHeader("Message-ID", inboundId);
            }
        };
        question.setFrom(new InternetAddress(address));
        question.setRecipient(Message.RecipientType.TO, new InternetAddress("hub@consent-hub.local"));
        question.setSubject("A question about my order");
        question.setText("Where is it?");
        Transport.send(question);
        await().atMost(Duration.ofSeconds(20)).until(() -> db.queryForObject(
                "select count(*) from inbound_mail where contact_id = ?", Long.class, contact.value()) == 1);

        String reply = tx.execute(s -> emails.enqueue(contact, new EmailPayload(EmailKind.REPLY, "Re: A question", "On its way",
                null, null, inboundId, List.of(inboundId), "support"), null));
        String unrelatedReply = tx.execute(s -> emails.enqueue(contact, new EmailPayload(EmailKind.REPLY, "Re: something", "x",
                null, null, "<someone-else@example.org>", null, "support"), null));
        String adHoc = tx.execute(s -> emails.enqueue(contact, new EmailPayload(EmailKind.AD_HOC, "Hello", "x",
                null, null, null, null, "support"), null));

        assertThat(awaitFinished(reply)).isEqualTo("DELIVERED");
        assertThat(awaitFinished(unrelatedReply)).isEqualTo("REFUSED");
        assertThat(awaitFinished(adHoc)).isEqualTo("REFUSED");
        MimeMessage sent = awaitMail(address, 1).get(0);
        assertThat(TestMailServer.header(sent, "In-Reply-To")).isEqualTo(inboundId);
        var refusals = new ApiClient(port).get("/api/refusals?contactId=" + contact, TestKeys.USER).json();
        assertThat(refusals.findValuesAsText("rule")).containsOnly("opted-out").hasSize(2);
    }

    @Test
    void anSmtpOutageLosesNothingAndSendsNothingTwice() {
        String address = ContactFixtures.uniqueEmail("outage");
        ContactId contact = fixtures.contact(address, EmailOptInStatus.NONE);
        TestMailServer.stop();
        String messageId;
        try {
            messageId = tx.execute(s -> emails.enqueue(contact, new EmailPayload(EmailKind.WORKFLOW, "Your invoice", "Attached",
                    null, null, null, null, "workflow"), null));
            await().atMost(Duration.ofSeconds(20)).until(() -> db.queryForObject(
                    "select attempts from outbox where message_id = ?", Integer.class, messageId) >= 2);
            assertThat(statusOf(messageId)).isIn("PENDING", "IN_FLIGHT");
            assertThat(db.queryForObject("select last_error from outbox where message_id = ?", String.class, messageId)).isNotBlank();
        } finally {
            TestMailServer.restart();
        }
        assertThat(awaitFinished(messageId)).isEqualTo("DELIVERED");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> TestMailServer.receivedBy(address).size() == 1);
    }

    @Test
    void aWebFormOptInIsConfirmedOnlyByThePostOfItsLinkWithEvidenceAndTheLinkWorksOnce() throws Exception {
        String address = ContactFixtures.uniqueEmail("doi");
        var submitted = new ApiClient(port).post("/api/webforms/submissions", TestKeys.WEBFORM, ApiClient.json(Map.of(
                "formId", "signup", "email", address, "marketingOptIn", true, "ip", "203.0.113.9", "userAgent", "form-browser")));
        assertThat(submitted.status()).isEqualTo(202);
        MimeMessage mail = awaitMail(address, 1).get(0);
        assertThat(TestMailServer.header(mail, EmailComposer.KIND_HEADER)).isEqualTo("DOUBLE_OPT_IN");
        String confirm = link(mail, "/confirm/double-opt-in/");
        ContactId contact = new ContactId(db.queryForObject("select id from contact where email_key = ?", java.util.UUID.class, address));

        var page = get(confirm);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(optIn.status(contact)).as("a GET, as a mail scanner makes, changes nothing").isEqualTo(EmailOptInStatus.SINGLE_OPT_IN_WEBFORM);
        String csrf = page.body().replaceAll("(?s).*name=\"_csrf\" value=\"([^\"]+)\".*", "$1");
        String cookie = page.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];

        assertThat(postForm(confirm, "_csrf=invalid", cookie).statusCode()).isEqualTo(403);
        assertThat(optIn.status(contact)).isEqualTo(EmailOptInStatus.SINGLE_OPT_IN_WEBFORM);
        var confirmed = postForm(confirm, "_csrf=" + csrf, cookie);

        assertThat(confirmed.statusCode()).isEqualTo(200);
        assertThat(optIn.status(contact)).isEqualTo(EmailOptInStatus.DOUBLE_OPT_IN);
        // Evidence is stored encrypted: read it through the ledger, which decrypts it.
        var event = ledger.history(contact).stream().filter(e -> "DOUBLE_OPT_IN".equals(e.value())).findFirst().orElseThrow().evidence();
        assertThat(event.actorKind()).isEqualTo(io.consenthub.consent.ActorKind.CONTACT);
        assertThat(event.channel()).isEqualTo("double-opt-in-link");
        assertThat(event.userAgent()).isEqualTo("test-browser/1.0");
        assertThat(event.ip()).isNotNull();
        assertThat(event.proofId()).startsWith("token:");
        var reused = postForm(confirm, "_csrf=" + csrf, cookie);
        var unknown = get("/confirm/double-opt-in/" + "A".repeat(43));
        assertThat(reused.statusCode()).isEqualTo(404).isEqualTo(unknown.statusCode());
        assertThat(get(confirm).body()).isEqualTo(unknown.body());
    }

    @Test
    void trackingIsAddedAndRecordedOnlyWhileTheContactConsents() throws Exception {
        String tracked = ContactFixtures.uniqueEmail("tracked");
        String untracked = ContactFixtures.uniqueEmail("untracked");
        ContactId trackedId = fixtures.contact(tracked, EmailOptInStatus.DOUBLE_OPT_IN, "product-news", "engagement-tracking");
        fixtures.contact(untracked, EmailOptInStatus.DOUBLE_OPT_IN, "product-news");
        new ApiClient(port).post("/api/campaigns", TestKeys.USER, ApiClient.json(Map.of("list", "product-news",
                "subject", "Offers", "text", "See https://example.com/offer",
                "html", "<p>See <a href=\"https://example.com/offer\">the offer</a></p>")));

        String trackedBody = body(awaitMail(tracked, 1).get(0));
        String untrackedBody = body(awaitMail(untracked, 1).get(0));

        assertThat(untrackedBody).doesNotContain("/t/o/").doesNotContain("/t/c/").contains("https://example.com/offer");
        String pixel = link(awaitMail(tracked, 1).get(0), "/t/o/");
        String click = link(awaitMail(tracked, 1).get(0), "/t/c/");
        assertThat(trackedBody).doesNotContain("href=\"https://example.com/offer\"");
        assertThat(get(pixel).statusCode()).isEqualTo(200);
        var redirect = get(click);
        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(redirect.headers().firstValue("Location")).contains("https://example.com/offer");
        assertThat(db.queryForObject("select count(*) from engagement where contact_id = ?", Long.class, trackedId.value())).isEqualTo(2);

        fixtures.grant(trackedId, "engagement-tracking", false);
        assertThat(get(click).statusCode()).isEqualTo(302);
        assertThat(db.queryForObject("select count(*) from engagement where contact_id = ?", Long.class, trackedId.value())).isEqualTo(2);
    }

    @Test
    void aCampaignInterruptedBeforeDeliveryResumesFromTheOutboxWhenDeliveryStartsAgain() throws Exception {
        camel.getRouteController().stopRoute("email-outbox-poller");
        String campaignId;
        var addresses = new java.util.ArrayList<String>();
        try {
            for (int i = 0; i < 5; i++) {
                String address = ContactFixtures.uniqueEmail("resume-" + i);
                addresses.add(address);
                fixtures.contact(address, i < 4 ? EmailOptInStatus.DOUBLE_OPT_IN : EmailOptInStatus.OPT_OUT_USER, "newsletter");
            }
            var started = new ApiClient(port).post("/api/campaigns", TestKeys.USER, ApiClient.json(Map.of(
                    "list", "newsletter", "subject", "Resumed", "text", "Hello")));
            campaignId = started.json().get("id").asText();
            assertThat(started.json().get("pending").asInt()).isEqualTo(started.json().get("enqueued").asInt());
        } finally {
            camel.getRouteController().startRoute("email-outbox-poller");
        }
        String id = campaignId;
        await().atMost(Duration.ofSeconds(20)).until(() -> new ApiClient(port).get("/api/campaigns/" + id, TestKeys.USER)
                .json().get("pending").asInt() == 0);
        for (int i = 0; i < 5; i++) {
            assertThat(TestMailServer.receivedBy(addresses.get(i))).hasSize(i < 4 ? 1 : 0);
        }
        var progress = new ApiClient(port).get("/api/campaigns/" + id, TestKeys.USER).json();
        assertThat(progress.get("refused").asInt()).isGreaterThanOrEqualTo(1);
    }
}
