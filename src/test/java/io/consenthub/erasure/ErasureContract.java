package io.consenthub.erasure;

import com.fasterxml.jackson.databind.JsonNode;
import io.consenthub.consent.ActorKind;
import io.consenthub.consent.ConsentRecords;
import io.consenthub.consent.Evidence;
import io.consenthub.consent.optin.EmailOptIn;
import io.consenthub.consent.optin.OptInAction;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.EmailAddress;
import io.consenthub.crm.CrmSyncLog;
import io.consenthub.crm.jdbc.JdbcCrmSync;
import io.consenthub.decision.EmailKind;
import io.consenthub.email.EmailPayload;
import io.consenthub.email.Emails;
import io.consenthub.support.ApiClient;
import io.consenthub.support.TestKeys;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An admin erases a demo-CRM contact: the job runs every step, the demo CRM's record is erased by
 * the connector's erase statements, the hub keeps nothing of the person that its scan can find,
 * the certificate says so, the ledger still verifies, and the person is suppressed: the CRM
 * record brought back with the address does not recreate them, nor does an API create, until the
 * person's own web form lifts the suppression. Run per store by the subclasses.
 */
abstract class ErasureContract {

    static final String BO = "bo.berg@example.com";
    static final String CARL = "carl.carlsson@example.com";
    static final String ANNA = "anna.andersson@example.com";
    static final String DINA = "dina.dahl@example.com";
    static final String GUSTAV = "gustav.gran@example.com";
    static final String HANNA = "hanna.holm@example.com";
    static final String JULIA = "julia.johansson@example.com";
    static final String ISAK = "isak.isaksson@example.com";
    static final String KARL = "karl.karlsson@example.com";

    @LocalServerPort
    int port;
    @Autowired
    ContactDirectory contacts;
    @Autowired
    CrmSyncLog syncLog;
    @Autowired
    JdbcCrmSync crmSync;
    @Autowired
    Emails emails;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    ConsentRecords consents;
    @Autowired
    EmailOptIn optIn;
    @Autowired
    JdbcTemplate hub;

    abstract String crmUrl();

    JdbcTemplate crm() {
        return new JdbcTemplate(new DriverManagerDataSource(crmUrl(), "sa", ""));
    }

    ContactId bo() {
        await().atMost(Duration.ofSeconds(30)).until(() -> contacts.findByEmail(new EmailAddress(BO)).isPresent());
        return contacts.findByEmail(new EmailAddress(BO)).orElseThrow();
    }

    JsonNode eraseAndAwaitCertificate(ContactId contact) {
        var api = new ApiClient(port);
        String body = ApiClient.json(Map.of("reason", "request by letter, case 2026-118"));
        assertThat(api.post("/api/contacts/" + contact.value() + "/erasure", TestKeys.USER, body).status()).isEqualTo(403);
        var started = api.post("/api/contacts/" + contact.value() + "/erasure", TestKeys.ADMIN, body);
        assertThat(started.status()).as(started.text()).isEqualTo(202);
        String job = started.json().get("jobId").asText();
        await().atMost(Duration.ofSeconds(60)).until(() ->
                "DONE".equals(api.get("/api/erasure-requests/" + job, TestKeys.ADMIN).json().get("state").asText()));
        return api.get("/api/erasure-requests/" + job, TestKeys.ADMIN).json();
    }

    @Test
    void anErasedContactIsGoneFromTheHubAndTheCrmProvenByItsCertificateAndStaysSuppressed() {
        ContactId bo = bo();
        tx.execute(s -> emails.enqueue(bo, new EmailPayload(EmailKind.WORKFLOW, "Your invoice, Bo Berg", "Dear Bo Berg",
                null, null, null, null, "workflow"), null));
        var api = new ApiClient(port);
        assertThat(api.post("/api/contacts/" + bo.value() + "/preference-link", TestKeys.USER, "{}").status()).isEqualTo(201);

        JsonNode progress = eraseAndAwaitCertificate(bo);

        JsonNode certificate = progress.get("certificate");
        assertThat(certificate.get("contactId").asText()).isEqualTo(bo.value().toString());
        assertThat(certificate.get("scan").get("clean").asBoolean()).as(certificate.toString()).isTrue();
        assertThat(certificate.get("scan").get("lookedFor").get("emails").asInt()).isEqualTo(1);
        assertThat(certificate.get("scan").get("lookedFor").get("phones").asInt()).isEqualTo(1);
        assertThat(certificate.get("scan").get("lookedFor").get("crmIds").asInt()).isEqualTo(1);
        assertThat(certificate.get("scan").get("tables").asInt()).isGreaterThan(20);
        assertThat(certificate.get("ledgerVerifies").asBoolean()).isTrue();
        assertThat(certificate.toString()).doesNotContain(BO).doesNotContain("Berg").doesNotContain("555 1001");
        assertThat(certificate.get("steps").findValuesAsText("step"))
                .containsSubsequence("SUPPRESS", "CRM", "PARTNERS", "HUB_DATA", "KEYS", "CONTACT", "PROOF");
        assertThat(certificate.get("steps").findValuesAsText("item")).contains("demo-crm", "email", "links", "crm-records");
        assertThat(hub.queryForObject("select count(*) from erasure_job where wrapped_key is not null or scan_targets is not null",
                Long.class)).as("the job keeps no key to its scan targets once done").isZero();

        // the CRM's record, by the connector's erase statements
        Map<String, Object> row = crm().queryForMap("select firstname, lastname, email, phone from vtiger_contactdetails where contactid = 102");
        assertThat(row.get("email")).isNull();
        assertThat(row.get("firstname")).isNull();
        assertThat(row.get("lastname")).isEqualTo("(erased)");
        // the hub's copy
        JsonNode contact = api.get("/api/contacts/" + bo.value(), TestKeys.USER).json();
        assertThat(contact.get("email").asText()).endsWith("@erased.invalid");
        assertThat(contact.toString()).doesNotContain("Berg");
        assertThat(api.get("/api/ledger/verify", TestKeys.ADMIN).json().get("ok").asBoolean()).isTrue();
        assertThat(api.get("/api/erasure-requests", TestKeys.ADMIN).json().get("requests").findValuesAsText("contactId"))
                .doesNotContain(bo.value().toString());

        // the CRM record comes back with the address (a CRM user re-imports it): the next poll does not recreate Bo
        crm().update("update vtiger_contactdetails set email = ?, lastname = 'Berg' where contactid = 102", BO);
        crm().update("update vtiger_crmentity set modifiedtime = current_timestamp where crmid = 102");
        var poll = crmSync.poll("demo-crm");
        assertThat(poll.seen()).isPositive();
        assertThat(contacts.findByEmail(new EmailAddress(BO))).isEmpty();
        // nor does the API
        var created = api.post("/api/contacts", TestKeys.USER, ApiClient.json(Map.of("email", BO)));
        assertThat(created.status()).isEqualTo(409);
        assertThat(created.text()).contains("whose data was erased").doesNotContain(BO);
        // nor an import (which checks every row first and then writes nothing)
        var imported = api.post("/api/contacts/import", TestKeys.USER, ApiClient.json(Map.of("contacts",
                java.util.List.of(Map.of("email", "someone.new@example.org"), Map.of("email", BO)))));
        assertThat(imported.status()).as(imported.text()).isEqualTo(409);
        assertThat(contacts.findByEmail(new EmailAddress("someone.new@example.org"))).isEmpty();
        // the person's own web form does, and says so
        var form = api.post("/api/webforms/submissions", TestKeys.WEBFORM, ApiClient.json(Map.of("formId", "signup", "email", BO,
                "marketingOptIn", true, "ip", "203.0.113.9", "userAgent", "form-browser")));
        assertThat(form.status()).isEqualTo(202);
        Optional<ContactId> back = contacts.findByEmail(new EmailAddress(BO));
        assertThat(back).isPresent().get().isNotEqualTo(bo);
        assertThat(hub.queryForObject("select lifted_by from email_suppression where lifted_at is not null", String.class))
                .isEqualTo("web-form:signup");
    }

    @Test
    void whatAnErasureLeavesBehindIsFoundByTheScanAndNamedInTheCertificateWithoutTheValue() {
        await().atMost(Duration.ofSeconds(30)).until(() -> contacts.findByEmail(new EmailAddress(CARL)).isPresent());
        ContactId carl = contacts.findByEmail(new EmailAddress(CARL)).orElseThrow();
        // a campaign named after him: no holder of contact data erases campaign names
        hub.update("insert into campaign (id, name, list_id, subject, created_by, created_at, enqueued) values (?, ?, 'newsletter', 'Hi', 'test', ?, 0)",
                "campaign-" + UUID.randomUUID(), "Offer for " + CARL, java.sql.Timestamp.from(java.time.Instant.now()));

        JsonNode certificate = eraseAndAwaitCertificate(carl).get("certificate");

        JsonNode scan = certificate.get("scan");
        assertThat(scan.get("clean").asBoolean()).isFalse();
        assertThat(scan.get("findings")).anySatisfy(finding -> {
            assertThat(finding.get("where").asText()).isEqualTo("campaign.name");
            assertThat(finding.get("kind").asText()).isEqualTo("email");
            assertThat(finding.get("count").asInt()).isEqualTo(1);
        });
        assertThat(certificate.toString()).doesNotContain(CARL).doesNotContain("Carlsson");
    }

    @Test
    void aDemoContactWhoStopsProcessingIsSkippedByTheNextCampaignRefusedAPatchAndFlaggedInTheDemoCrm() {
        await().atMost(Duration.ofSeconds(30)).until(() -> contacts.findByEmail(new EmailAddress(ANNA)).isPresent());
        ContactId anna = contacts.findByEmail(new EmailAddress(ANNA)).orElseThrow();
        var evidence = new Evidence(ActorKind.CONTACT, null, "test", java.time.Instant.now(), null, null, null, null);
        tx.executeWithoutResult(s -> {
            contacts.lock(anna);
            consents.record(anna, "newsletter", true, evidence);
            optIn.apply(anna, OptInAction.SUBMIT_WEB_FORM_OPT_IN, evidence);
            optIn.apply(anna, OptInAction.CONFIRM_DOUBLE_OPT_IN, evidence);
        });
        var api = new ApiClient(port);
        String reason = ApiClient.json(Map.of("reason", "asked by phone, call 2026-12-02 10:12"));
        assertThat(api.post("/api/contacts/" + anna.value() + "/stop-processing", TestKeys.USER, reason).status()).isEqualTo(403);

        var stopped = api.post("/api/contacts/" + anna.value() + "/stop-processing", TestKeys.ADMIN, reason);

        assertThat(stopped.status()).as(stopped.text()).isEqualTo(200);
        assertThat(stopped.json().get("consents").get("stopProcessing").asBoolean()).isTrue();
        assertThat(api.post("/api/contacts/" + anna.value() + "/stop-processing", TestKeys.ADMIN, reason).json()
                .get("stopped").asBoolean()).as("asked twice, recorded once").isFalse();
        var patch = api.patch("/api/contacts/" + anna.value(), TestKeys.USER, ApiClient.json(Map.of("attributes", Map.of("city", "Lund"))));
        assertThat(patch.status()).isEqualTo(409);
        assertThat(patch.text()).contains("stop-processing");
        await().atMost(Duration.ofSeconds(20)).until(() -> "1".equals(crm().queryForObject(
                "select cf_stop_processing from vtiger_contactscf where contactid = 101", String.class)));
        var campaign = api.post("/api/campaigns", TestKeys.USER, ApiClient.json(Map.of(
                "name", "december", "list", "newsletter", "subject", "December", "text", "Hello")));
        assertThat(campaign.status()).isEqualTo(202);
        String campaignId = campaign.json().get("id").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> api.get("/api/refusals?contactId=" + anna.value(), TestKeys.USER).json()
                .findValuesAsText("rule").contains("stop-processing")
                && api.get("/api/campaigns/" + campaignId, TestKeys.USER).json().get("pending").asInt() == 0);
        assertThat(api.get("/api/campaigns/" + campaignId, TestKeys.USER).json().get("sent").asInt()).isZero();
    }

    @Test
    void aRequestOlderThanTheGracePeriodIsCarriedOutByTheHubItselfAndAYoungerOneWaits() {
        await().atMost(Duration.ofSeconds(30)).until(() -> contacts.findByEmail(new EmailAddress(DINA)).isPresent()
                && contacts.findByEmail(new EmailAddress(GUSTAV)).isPresent());
        ContactId dina = contacts.findByEmail(new EmailAddress(DINA)).orElseThrow();
        ContactId gustav = contacts.findByEmail(new EmailAddress(GUSTAV)).orElseThrow();
        for (ContactId contact : java.util.List.of(dina, gustav)) {
            tx.executeWithoutResult(s -> {
                contacts.lock(contact);
                consents.record(contact, "erasure", true, new Evidence(ActorKind.CONTACT, null, "preference-page",
                        java.time.Instant.now(), null, null, "proof-" + UUID.randomUUID(), null));
            });
        }
        // Dina confirmed hers 31 days ago: past the grace period (30 days in this test's config)
        hub.update("update consent_state set updated_at = ? where contact_id = ? and subject = 'erasure'",
                java.sql.Timestamp.from(java.time.Instant.now().minus(Duration.ofDays(31))), dina.value());
        var api = new ApiClient(port);

        await().atMost(Duration.ofSeconds(30)).until(() -> hub.queryForObject(
                "select count(*) from erasure_job where contact_id = ? and state = 'DONE'", Long.class, dina.value()) == 1);

        assertThat(hub.queryForObject("select requested_by from erasure_job where contact_id = ?", String.class, dina.value()))
                .isEqualTo("grace-period");
        assertThat(hub.queryForObject("select count(*) from erasure_job where contact_id = ?", Long.class, gustav.value())).isZero();
        var open = api.get("/api/erasure-requests", TestKeys.ADMIN).json().get("requests").findValuesAsText("contactId");
        assertThat(open).contains(gustav.value().toString()).doesNotContain(dina.value().toString());
    }

    @Test
    void aDeletedContactIsRemovedEntirelyFoundByNoReadListOrReportWhileTheLedgerStillVerifies() {
        await().atMost(Duration.ofSeconds(30)).until(() -> contacts.findByEmail(new EmailAddress(ISAK)).isPresent());
        ContactId isak = contacts.findByEmail(new EmailAddress(ISAK)).orElseThrow();
        var api = new ApiClient(port);
        long before = api.get("/api/reports/consents", TestKeys.USER).json().get("contacts").asLong();
        String path = "/api/contacts/" + isak.value();

        assertThat(api.delete(path + "?reason=by%20phone", TestKeys.USER).status()).isEqualTo(403);
        assertThat(api.delete(path, TestKeys.ADMIN).status()).as("a reason is required").isEqualTo(400);
        var started = api.delete(path + "?reason=request%20by%20phone%2C%20case%2077", TestKeys.ADMIN);
        assertThat(started.status()).as(started.text()).isEqualTo(202);
        String job = started.json().get("jobId").asText();
        await().atMost(Duration.ofSeconds(60)).until(() ->
                "DONE".equals(api.get("/api/erasure-requests/" + job, TestKeys.ADMIN).json().get("state").asText()));

        JsonNode progress = api.get("/api/erasure-requests/" + job, TestKeys.ADMIN).json();
        assertThat(progress.get("certificate").get("scan").get("clean").asBoolean()).as(progress.toString()).isTrue();
        assertThat(progress.get("certificate").get("ledgerVerifies").asBoolean()).isTrue();
        assertThat(progress.get("steps").findValuesAsText("outcome")).contains("REMOVED");
        assertThat(api.get(path, TestKeys.USER).status()).isEqualTo(404);
        assertThat(api.get("/api/contacts?size=500", TestKeys.USER).json().get("items").findValuesAsText("id"))
                .doesNotContain(isak.value().toString());
        assertThat(api.get("/api/reports/consents", TestKeys.USER).json().get("contacts").asLong()).isEqualTo(before - 1);
        assertThat(api.get("/api/ledger/verify?contactId=" + isak.value(), TestKeys.ADMIN).json().get("ok").asBoolean()).isTrue();
        assertThat(hub.queryForObject("select count(*) from contact where id = ? and removed_at is not null", Long.class, isak.value()))
                .as("only the id stays, for the ledger's events").isEqualTo(1);
        assertThat(api.delete(path + "?reason=again", TestKeys.ADMIN).status()).isEqualTo(404);
    }

    @Test
    void deletingAContactAlreadyErasedRemovesItsAnonymisedRecordThroughTheSameJob() {
        await().atMost(Duration.ofSeconds(30)).until(() -> contacts.findByEmail(new EmailAddress(KARL)).isPresent());
        ContactId karl = contacts.findByEmail(new EmailAddress(KARL)).orElseThrow();
        String erased = eraseAndAwaitCertificate(karl).get("id").asText();
        var api = new ApiClient(port);
        String path = "/api/contacts/" + karl.value();
        assertThat(api.get(path, TestKeys.USER).status()).as("erased: anonymised, still there").isEqualTo(200);

        var removed = api.delete(path + "?reason=the%20record%20too", TestKeys.ADMIN);

        assertThat(removed.status()).as(removed.text()).isEqualTo(202);
        assertThat(removed.json().get("jobId").asText()).isEqualTo(erased);
        assertThat(api.get(path, TestKeys.USER).status()).isEqualTo(404);
        assertThat(api.get("/api/erasure-requests/" + erased, TestKeys.ADMIN).json().get("steps").findValuesAsText("outcome"))
                .contains("ANONYMISED", "REMOVED");
    }

    @Test
    void mailFromAnErasedAddressLeavesNothingInTheHubWhileAContactsMailIsRecorded() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> contacts.findByEmail(new EmailAddress(JULIA)).isPresent());
        ContactId julia = contacts.findByEmail(new EmailAddress(JULIA)).orElseThrow();
        await().atMost(Duration.ofSeconds(30)).until(() -> contacts.findByEmail(new EmailAddress(HANNA)).isPresent());
        ContactId hanna = contacts.findByEmail(new EmailAddress(HANNA)).orElseThrow();
        eraseAndAwaitCertificate(hanna);

        sendToTheHub(HANNA, "Please add me again");
        sendToTheHub(JULIA, "A question about my order");

        await().atMost(Duration.ofSeconds(30)).until(() ->
                hub.queryForObject("select count(*) from inbound_mail where contact_id = ?", Long.class, julia.value()) == 1);
        assertThat(hub.queryForObject("select count(*) from inbound_mail where contact_id is null or contact_id = ?", Long.class,
                hanna.value())).as("the erased person's mail, read before Julia's, left no row").isZero();
        assertThat(contacts.findByEmail(new EmailAddress(HANNA))).as("and made no contact").isEmpty();
    }

    private void sendToTheHub(String from, String subject) throws jakarta.mail.MessagingException {
        var props = new java.util.Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(io.consenthub.support.TestMailServer.SMTP_PORT));
        io.consenthub.support.TestMailServer.get();
        var mail = new jakarta.mail.internet.MimeMessage(jakarta.mail.Session.getInstance(props));
        mail.setFrom(new jakarta.mail.internet.InternetAddress(from));
        mail.setRecipient(jakarta.mail.Message.RecipientType.TO, new jakarta.mail.internet.InternetAddress(mailbox()));
        mail.setSubject(subject);
        mail.setText("Hello");
        jakarta.mail.Transport.send(mail);
    }

    /** The hub's inbound mailbox in this test's hub (its own, so no other test's hub reads it). */
    abstract String mailbox();

    @Test
    void anUnknownJobIsNotFoundAndABadIdIsRefused() {
        var api = new ApiClient(port);
        assertThat(api.get("/api/erasure-requests/" + UUID.randomUUID(), TestKeys.ADMIN).status()).isEqualTo(404);
        assertThat(api.get("/api/erasure-requests/not-a-job", TestKeys.ADMIN).status()).isEqualTo(400);
        assertThat(api.post("/api/contacts/" + UUID.randomUUID() + "/erasure", TestKeys.ADMIN,
                ApiClient.json(Map.of("reason", "letter"))).status()).isEqualTo(404);
        assertThat(api.post("/api/contacts/" + bo().value() + "/erasure", TestKeys.ADMIN, ApiClient.json(Map.of())).status())
                .isEqualTo(400);
    }
}
