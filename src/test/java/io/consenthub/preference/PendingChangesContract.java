package io.consenthub.preference;

import com.fasterxml.jackson.databind.JsonNode;
import io.consenthub.consent.ActorKind;
import io.consenthub.consent.ConsentRecords;
import io.consenthub.consent.Evidence;
import io.consenthub.contact.Attributes;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.EmailAddress;
import io.consenthub.support.ApiClient;
import io.consenthub.support.ContactFixtures;
import io.consenthub.support.TestKeys;
import io.consenthub.support.TestMailServer;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pending change sets on a real store: every set keeps its own link until used or expired, the
 * newest confirmed choice wins over an older set, a web form's set keeps the form's evidence
 * (encrypted) beside the confirming browser's, and the mails speak the contact's language.
 */
abstract class PendingChangesContract {

    private static final Pattern CONFIRM = Pattern.compile("/p/confirm/([A-Za-z0-9_-]{43})");

    @LocalServerPort
    int port;
    @Autowired
    PendingChanges pending;
    @Autowired
    ContactDirectory contacts;
    @Autowired
    ConsentRecords consents;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JdbcTemplate db;

    @BeforeEach
    void mailServerIsUp() {
        TestMailServer.get();
    }

    private ContactId contact(String email, Map<String, String> attributes) {
        return tx.execute(s -> contacts.create(new EmailAddress(email), new Attributes(attributes), List.of()).id());
    }

    private MimeMessage mail(String email, int number) {
        await().atMost(Duration.ofSeconds(20)).until(() -> TestMailServer.receivedBy(email).size() >= number);
        return TestMailServer.receivedBy(email).get(number - 1);
    }

    /** The decoded text of a single-part mail. */
    private static String body(MimeMessage mail) {
        try {
            return mail.getContent().toString();
        } catch (jakarta.mail.MessagingException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String token(MimeMessage mail) {
        Matcher matcher = CONFIRM.matcher(body(mail));
        assertThat(matcher.find()).as(body(mail)).isTrue();
        return matcher.group(1);
    }

    private Optional<PendingChanges.Pending> confirm(String token) {
        return pending.confirm(token, grant -> new Evidence(ActorKind.CONTACT, null, "preference-page", Instant.now(),
                "198.51.100.9", "ConfirmingBrowser/1.0", grant.proofId(), null));
    }

    private Boolean granted(ContactId id, String purpose) {
        return consents.block(id).consents().stream().filter(e -> e.purpose().equals(purpose)).findFirst().orElseThrow().granted();
    }

    @Test
    void aSecondChangeSetLeavesTheFirstLinkWorkingAndEachSubjectSaysWhatIsProposed() {
        String email = ContactFixtures.uniqueEmail("two-sets");
        ContactId id = contact(email, Map.of("region", "EU"));
        pending.propose(id, List.of(new Change("newsletter", true)), null);
        pending.propose(id, List.of(new Change("engagement-tracking", true)), null);

        MimeMessage first = mail(email, 1);
        MimeMessage second = mail(email, 2);
        List<String> subjects = List.of(subject(first), subject(second));
        assertThat(subjects).containsExactlyInAnyOrder("Please confirm: Yes to: Monthly newsletter",
                "Please confirm: Yes to: Track email opens, link clicks and document views");
        MimeMessage newsletterMail = subject(first).contains("newsletter") ? first : second;
        MimeMessage trackingMail = newsletterMail == first ? second : first;
        assertThat(body(newsletterMail)).contains("Yes to: Monthly newsletter").doesNotContain("newsletter\n");

        assertThat(confirm(token(newsletterMail))).as("the first link after a second change").isPresent();
        assertThat(confirm(token(trackingMail))).as("the second link").isPresent();
        assertThat(granted(id, "newsletter")).isTrue();
        assertThat(granted(id, "engagement-tracking")).isTrue();
        assertThat(confirm(token(newsletterMail))).as("a used link").isEmpty();
    }

    @Test
    void confirmingANewerChoiceTakesTheSameSubjectOutOfAnOlderSetButLeavesTheRestOfIt() {
        String email = ContactFixtures.uniqueEmail("newer-wins");
        ContactId id = contact(email, Map.of("region", "EU"));
        pending.propose(id, List.of(new Change("newsletter", true), new Change("product-news", true)), null);
        MimeMessage older = mail(email, 1);
        pending.propose(id, List.of(new Change("newsletter", false)), null);
        MimeMessage newer = mail(email, 2);
        assertThat(subject(older)).isEqualTo("Please confirm: Yes to: Monthly newsletter, Yes to: Product news and offers");

        assertThat(confirm(token(newer))).isPresent();
        var stale = confirm(token(older));

        assertThat(stale).as("the older link still works for what it alone asked").isPresent();
        assertThat(stale.get().changes()).containsExactly(new Change("product-news", true));
        assertThat(granted(id, "newsletter")).as("the newer confirmed choice stands").isFalse();
        assertThat(granted(id, "product-news")).isTrue();
    }

    @Test
    void aKnownContactsWebFormIsConfirmedWithTheFormsEvidenceBesideTheBrowsersEncryptedAtRest() {
        String email = ContactFixtures.uniqueEmail("form-origin");
        ContactId id = contact(email, Map.of("region", "EU"));
        var api = new ApiClient(port);
        var submitted = api.post("/api/webforms/submissions", TestKeys.WEBFORM, ApiClient.json(Map.of("formId", "spring-signup",
                "email", email, "consents", Map.of("newsletter", true), "ip", "203.0.113.77", "userAgent", "FormBrowser/2.0")));
        assertThat(submitted.status()).as(submitted.text()).isEqualTo(202);
        String submissionId = submitted.json().get("submissionId").asText();
        assertThat(db.queryForObject("select count(*) from preference_change where contact_id = ? and (origin_ip like '%203.0.113.77%'"
                + " or origin_user_agent like '%FormBrowser%' or proposed_ip is not null)", Long.class, id.value()))
                .as("the pending form's IP and user agent are not stored in plain text").isZero();

        assertThat(confirm(token(mail(email, 1)))).isPresent();

        JsonNode history = api.get("/api/contacts/" + id, TestKeys.USER).json().get("history");
        JsonNode event = history.get(history.size() - 1);
        assertThat(event.get("subject").asText()).isEqualTo("newsletter");
        assertThat(event.get("ip").asText()).isEqualTo("198.51.100.9");
        assertThat(event.get("userAgent").asText()).isEqualTo("ConfirmingBrowser/1.0");
        JsonNode origin = event.get("origin");
        assertThat(origin).as(event.toString()).isNotNull();
        assertThat(origin.get("channel").asText()).isEqualTo("web-form");
        assertThat(origin.get("actorId").asText()).isEqualTo("web-form:spring-signup");
        assertThat(origin.get("proofId").asText()).isEqualTo(submissionId);
        assertThat(origin.get("ip").asText()).isEqualTo("203.0.113.77");
        assertThat(origin.get("userAgent").asText()).isEqualTo("FormBrowser/2.0");
        assertThat(db.queryForObject("select count(*) from consent_event where contact_id = ? and (origin_ip like '%203.0.113%'"
                + " or origin_user_agent like '%FormBrowser%')", Long.class, id.value())).as("ciphertext in the ledger").isZero();
        assertThat(db.queryForObject("select count(*) from consent_event where contact_id = ? and origin_ip is not null",
                Long.class, id.value())).isEqualTo(1);
        var verification = api.get("/api/ledger/verify", TestKeys.ADMIN);
        assertThat(verification.json().get("ok").asBoolean()).as(verification.text()).isTrue();
    }

    @Test
    void mailsAreWrittenInTheContactsLanguageAndNameThePurposeByItsLabel() {
        String email = ContactFixtures.uniqueEmail("svenska");
        ContactId id = contact(email, Map.of("region", "EU", "language", "sv-SE"));
        pending.propose(id, List.of(new Change("newsletter", true)), null);

        MimeMessage mail = mail(email, 1);
        assertThat(subject(mail)).isEqualTo("Bekräfta: Ja till: Månadsbrev");
        assertThat(body(mail)).contains("Hej,").contains("Ja till: Månadsbrev").doesNotContain("newsletter");

        var requested = new ApiClient(port).post("/api/contacts/" + id + "/double-opt-in-requests", TestKeys.USER, "");
        assertThat(requested.status()).as(requested.text()).isEqualTo(202);
        assertThat(subject(mail(email, 2))).isEqualTo("Bekräfta din prenumeration");
    }

    private static String subject(MimeMessage mail) {
        try {
            return mail.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
