package io.consenthub.crm.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import io.consenthub.consent.ActorKind;
import io.consenthub.consent.ConsentRecords;
import io.consenthub.consent.Evidence;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.CrmLink;
import io.consenthub.consent.optin.EmailOptIn;
import io.consenthub.consent.optin.EmailOptInStatus;
import io.consenthub.consent.optin.OptInAction;
import io.consenthub.crm.CrmSettings;
import io.consenthub.crm.CrmSyncLog;
import io.consenthub.consent.ConsentsBlock;
import io.consenthub.support.ConnectorConfig;
import io.consenthub.support.HubTest;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import io.consenthub.support.SalesforceStandIn;
import io.consenthub.support.TestKeyStores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.consenthub.support.SalesforceStandIn.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Salesforce's own side of the model through real camel-salesforce against the stand-in, the hub
 * on PostgreSQL: the JWT bearer login (an assertion the stand-in verifies against the Connected
 * App's certificate, and a key that does not match it), the configured and the default API version,
 * Person Accounts (their Person fields, business Accounts left out by the object's condition),
 * DoNotCall as the refusal of a phone purpose, and the Individual with its
 * ContactPointTypeConsents written from the hub's answers.
 */
@ExtendWith(RequiresPostgres.class)
@HubTest
class SalesforceOrgModelTest {

    private static final String JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    /** The org's DataUsePurpose record for the newsletter. */
    private static final String NEWSLETTER_USE = "0ZW000000000001AAA";
    private static final String IVY_INDIVIDUAL = "0PK000000000I01AAA";
    private static SalesforceStandIn salesforce;
    private static Path appKey;
    private static Path otherKey;

    @DynamicPropertySource
    static void stores(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, "consent_hub_salesforce_model_test");
        appKey = TestKeyStores.create("sf-jwt-connected-app", "RSA", "sf-jwt");
        otherKey = TestKeyStores.create("sf-jwt-not-uploaded", "RSA", "sf-jwt");
        String jwt = "consent-hub.crm.connectors.sf-jwt.";
        registry.add(jwt + "kind", () -> "salesforce");
        registry.add(jwt + "enabled", () -> "true");
        registry.add(jwt + "salesforce.login-url", () -> salesforce().url());
        registry.add(jwt + "salesforce.authentication-type", () -> "JWT");
        registry.add(jwt + "salesforce.client-id", () -> "test-client");
        registry.add(jwt + "salesforce.username", () -> SalesforceStandIn.INTEGRATION_USER);
        registry.add(jwt + "salesforce.keystore", () -> appKey.toString());
        registry.add(jwt + "salesforce.keystore-password", () -> TestKeyStores.PASSWORD);
        registry.add(jwt + "salesforce.api-version", () -> "64.0");
        registry.add(jwt + "salesforce.objects.Contact.email", () -> "Email");
        registry.add(jwt + "salesforce.objects.Contact.attributes.lastName", () -> "LastName");
        String wrongKey = "consent-hub.crm.connectors.sf-jwt-wrong-key.";
        registry.add(wrongKey + "kind", () -> "salesforce");
        registry.add(wrongKey + "enabled", () -> "true");
        registry.add(wrongKey + "salesforce.login-url", () -> salesforce().url());
        registry.add(wrongKey + "salesforce.authentication-type", () -> "JWT");
        registry.add(wrongKey + "salesforce.client-id", () -> "test-client");
        registry.add(wrongKey + "salesforce.username", () -> SalesforceStandIn.INTEGRATION_USER);
        registry.add(wrongKey + "salesforce.keystore", () -> otherKey.toString());
        registry.add(wrongKey + "salesforce.keystore-password", () -> TestKeyStores.PASSWORD);
        registry.add(wrongKey + "salesforce.objects.Contact.email", () -> "Email");
        // Person Accounts, with no api-version: the default one is called.
        String person = "consent-hub.crm.connectors.sf-person.";
        registry.add(person + "kind", () -> "salesforce");
        registry.add(person + "enabled", () -> "true");
        registry.add(person + "salesforce.login-url", () -> salesforce().url());
        registry.add(person + "salesforce.client-id", () -> "test-client");
        registry.add(person + "salesforce.client-secret", () -> "test-secret");
        registry.add(person + "salesforce.objects.Account.email", () -> "PersonEmail");
        registry.add(person + "salesforce.objects.Account.opt-out-field", () -> "PersonHasOptedOutOfEmail");
        registry.add(person + "salesforce.objects.Account.where", () -> "IsPersonAccount = true");
        registry.add(person + "salesforce.objects.Account.attributes.lastName", () -> "LastName");
        registry.add(person + "salesforce.objects.Account.write-back-fields.Newsletter_Consent__pc", () -> "consent.newsletter");
        registry.add(person + "write-back.fields.Newsletter_Consent__c", () -> "consent.newsletter");
        registry.add(person + "salesforce.objects.Account.do-not-call-field", () -> "PersonDoNotCall");
        registry.add(person + "salesforce.objects.Account.do-not-call-purpose", () -> "phone-calls");
        registry.add(person + "salesforce.objects.Contact.email", () -> "Email");
        registry.add(person + "salesforce.objects.Contact.do-not-call-field", () -> "DoNotCall");
        registry.add(person + "salesforce.objects.Contact.do-not-call-purpose", () -> "phone-calls");
        registry.add(person + "salesforce.individual.enabled", () -> "true");
        registry.add(person + "salesforce.individual.tracking-purpose", () -> "engagement-tracking");
        registry.add(person + "salesforce.individual.data-use-purposes.newsletter", () -> NEWSLETTER_USE);
        phonePurpose(registry);
    }

    /** The shipped purposes and one for phone calls, which DoNotCall refuses (a list binds from one source only). */
    private static void phonePurpose(DynamicPropertyRegistry registry) {
        ConnectorConfig.load(registry, "config/consents.yaml");
        String phone = "consent-hub.consents[" + shippedPurposes() + "].";
        registry.add(phone + "id", () -> "phone-calls");
        registry.add(phone + "kind", () -> "custom");
        registry.add(phone + "default", () -> "false");
        registry.add(phone + "labels.en", () -> "Phone calls about offers");
        registry.add(phone + "labels.sv", () -> "Telefonsamtal om erbjudanden");
    }

    private static long shippedPurposes() {
        try {
            return Files.readAllLines(Path.of("config/consents.yaml")).stream().filter(line -> line.startsWith("    - id: ")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized SalesforceStandIn salesforce() {
        if (salesforce == null) {
            salesforce = new SalesforceStandIn(2);
            salesforce.uploadCertificate(TestKeyStores.certificate(appKey, "sf-jwt"));
            salesforce.add("Contact", "0030000000000J1AAA", fields("Email", "jay@sf.example", "LastName", "Jwt"));
            salesforce.add("Contact", "0030000000000J2AAA", fields("Email", "jo@sf.example", "LastName", "Bearer",
                    "HasOptedOutOfEmail", true));
            salesforce.add("Contact", "0030000000000J3AAA", fields("Email", "jim@sf.example", "LastName", "Paged"));
            salesforce.add("Account", "0010000000000P1AAA", fields("IsPersonAccount", true, "PersonEmail", "pat@sf.example",
                    "LastName", "Person", "PersonHasOptedOutOfEmail", true));
            salesforce.add("Account", "0010000000000P2AAA", fields("IsPersonAccount", true, "PersonEmail", "pia@sf.example",
                    "LastName", "Personal"));
            salesforce.add("Account", "0010000000000B1AAA", fields("IsPersonAccount", false, "Name", "Acme Ltd"));
            salesforce.add("Contact", "0030000000000C1AAA", fields("Email", "cleo@sf.example", "LastName", "Calls", "DoNotCall", true));
            salesforce.add("Contact", "0030000000000C2AAA", fields("Email", "cole@sf.example", "LastName", "Calls"));
            salesforce.add("Contact", "0030000000000C3AAA", fields("Email", "cora@sf.example", "LastName", "Calls"));
            salesforce.add("Contact", "0030000000000C4AAA", fields("Email", "cody@sf.example", "LastName", "Calls"));
            salesforce.add("Contact", "0030000000000C5AAA", fields("Email", "cass@sf.example", "LastName", "Calls"));
            salesforce.add("Contact", "0030000000000C6AAA", fields("Email", "cyd@sf.example", "LastName", "Calls"));
            salesforce.add("Contact", "0030000000000C7AAA", fields("Email", "cato@sf.example", "LastName", "Calls"));
            salesforce.add("Contact", "0030000000000C8AAA", fields("Email", "cleve@sf.example", "LastName", "Calls"));
            salesforce.add("Account", "0010000000000P4AAA", fields("IsPersonAccount", true, "PersonEmail", "peg@sf.example",
                    "LastName", "Personal"));
            salesforce.add("Individual", IVY_INDIVIDUAL, fields("LastName", "Individual", "HasOptedOutProcessing", false,
                    "HasOptedOutTracking", false, "ShouldForget", false));
            salesforce.add("Contact", "0030000000000I1AAA", fields("Email", "ivy@sf.example", "LastName", "Individual",
                    "IndividualId", IVY_INDIVIDUAL));
            salesforce.add("Account", "0010000000000P3AAA", fields("IsPersonAccount", true, "PersonEmail", "paul@sf.example",
                    "LastName", "Phone", "PersonDoNotCall", true));
        }
        return salesforce;
    }

    @AfterAll
    static void stop() {
        salesforce.close();
    }

    @Autowired
    SalesforceCrmSync sync;
    @Autowired
    ContactDirectory contacts;
    @Autowired
    SalesforceStatus status;
    @Autowired
    ConsentRecords consents;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    EmailOptIn optIn;
    @Autowired
    CrmSyncLog syncLog;
    @Autowired
    org.springframework.jdbc.core.JdbcTemplate hub;
    @Autowired
    SalesforceDoNotCall doNotCall;
    @Autowired
    CrmSettings settings;
    @Autowired
    Clock clock;

    private ContactId linked(String connectorId, String id) {
        return contacts.findByLink(new CrmLink(connectorId, id)).orElseThrow();
    }

    private Evidence user(String note) {
        return new Evidence(ActorKind.USER, "test-user", "api", Instant.now(), null, null, null, note);
    }

    @Test
    void aJwtBearerLoginSyncsEveryPageWithoutSendingASecret() {
        var result = sync.poll("sf-jwt");

        assertThat(result.failedObjects()).isEmpty();
        assertThat(contacts.get(linked("sf-jwt", "0030000000000J1AAA")).attributes().values()).containsEntry("lastName", "Jwt");
        assertThat(contacts.findByLink(new CrmLink("sf-jwt", "0030000000000J3AAA"))).isPresent();
        assertThat(salesforce.logins()).anySatisfy(login -> assertThat(login)
                .containsEntry("grant_type", JWT_GRANT).containsKey("assertion").doesNotContainKey("client_secret"));
    }

    @Test
    void theConfiguredApiVersionIsTheOneCalledAndPagesStayOnIt() {
        sync.poll("sf-jwt");

        assertThat(salesforce.apiVersions()).contains("64.0");
        assertThat(salesforce.requests()).anyMatch(r -> r.startsWith("GET /services/data/v64.0/queryAll/?q=SELECT"))
                .anyMatch(r -> r.startsWith("GET /services/data/v64.0/query/01gSTANDIN"))
                .anyMatch(r -> r.startsWith("GET /services/data/v64.0/sobjects/Contact/describe"));
    }

    @Test
    void aKeyThatDoesNotMatchTheConnectedAppsCertificateIsRefusedAndNamedInTheStatus() {
        var result = sync.poll("sf-jwt-wrong-key");

        assertThat(result.failedObjects().get("Contact")).contains("Salesforce refused the login: invalid_grant")
                .contains("for JWT: the key does not match the Connected App's certificate");
        assertThat(status.of("sf-jwt-wrong-key").get("heldOffBecause").toString()).contains("invalid_grant");
        assertThat(contacts.findByLink(new CrmLink("sf-jwt-wrong-key", "0030000000000J1AAA"))).isEmpty();
    }

    @Test
    void aPersonAccountSyncsByItsPersonEmailAndOptOutWhileBusinessAccountsAreNotRead() {
        var result = sync.poll("sf-person");

        assertThat(result.failedObjects()).isEmpty();
        ContactId pat = linked("sf-person", "0010000000000P1AAA");
        assertThat(optIn.status(pat)).isEqualTo(EmailOptInStatus.OPT_OUT_USER);
        assertThat(contacts.get(pat).attributes().values()).containsEntry("lastName", "Person");
        assertThat(optIn.status(linked("sf-person", "0010000000000P2AAA"))).isEqualTo(EmailOptInStatus.NONE);
        assertThat(contacts.findByLink(new CrmLink("sf-person", "0010000000000B1AAA"))).isEmpty();
        assertThat(syncLog.rejects("sf-person", 20)).noneMatch(reject -> "0010000000000B1AAA".equals(reject.get("externalId")));
        assertThat(salesforce.requests()).anyMatch(r -> r.startsWith("GET /services/data/v65.0/queryAll/?q=SELECT"));
    }

    @Test
    void anOptOutInTheHubIsWrittenToThePersonAccountsOwnFields() {
        sync.poll("sf-person");
        ContactId peg = linked("sf-person", "0010000000000P4AAA");

        tx.executeWithoutResult(s -> optIn.apply(peg, OptInAction.OPT_OUT_BY_CONTACT,
                new Evidence(ActorKind.CONTACT, "peg", "preferences", Instant.now(), null, null, null, null)));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(salesforce.record("0010000000000P4AAA").path("PersonHasOptedOutOfEmail").asBoolean()).isTrue());
        assertThat(salesforce.patches("0010000000000P4AAA")).allSatisfy(patch -> {
            assertThat(patch.has("Newsletter_Consent__pc")).isTrue();
            assertThat(patch.has("HasOptedOutOfEmail")).isFalse();
            assertThat(patch.has("Newsletter_Consent__c")).isFalse();
        });
    }

    private ConsentsBlock.Entry phoneCalls(ContactId contact) {
        return consents.block(contact).consents().stream().filter(entry -> entry.purpose().equals("phone-calls")).findFirst()
                .orElseThrow();
    }

    @Test
    void doNotCallSetInSalesforceRefusesThePhonePurposeAndAFlagNotSetAnswersNothing() {
        sync.poll("sf-person");

        assertThat(phoneCalls(linked("sf-person", "0030000000000C1AAA"))).satisfies(entry -> {
            assertThat(entry.answered()).isTrue();
            assertThat(entry.granted()).isFalse();
        });
        assertThat(phoneCalls(linked("sf-person", "0010000000000P3AAA")).answered()).isTrue();
        assertThat(phoneCalls(linked("sf-person", "0030000000000C2AAA")).answered()).isFalse();
    }

    @Test
    void aDoNotCallFlagNotSetNeverGrantsThePhonePurpose() {
        sync.poll("sf-person");
        ContactId cody = linked("sf-person", "0030000000000C4AAA");
        tx.executeWithoutResult(s -> consents.record(cody, "phone-calls", false, user("no calls, please")));
        salesforce.change("0030000000000C4AAA", fields("DoNotCall", false, "LastName", "Calls again"));

        sync.poll("sf-person");

        assertThat(phoneCalls(cody).granted()).isFalse();
    }

    @Test
    void theHubRaisesDoNotCallWithoutConsentClearsOnlyItsOwnFlagOnceGrantedAndASalesforceUsersFlagRefusesAgain() {
        sync.poll("sf-person");
        ContactId cora = linked("sf-person", "0030000000000C3AAA");

        tx.executeWithoutResult(s -> consents.record(cora, "newsletter", true, user("signed up by phone")));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(salesforce.record("0030000000000C3AAA").path("DoNotCall").asBoolean()).isTrue());
        sync.poll("sf-person");
        assertThat(phoneCalls(cora).answered()).as("the hub's own flag read back is no refusal").isFalse();

        tx.executeWithoutResult(s -> consents.record(cora, "phone-calls", true, user("agreed to calls")));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(salesforce.record("0030000000000C3AAA").path("DoNotCall").asBoolean()).isFalse());
        await().atMost(Duration.ofSeconds(20)).until(() -> !doNotCall.raisedByHub("sf-person", "0030000000000C3AAA"));

        salesforce.change("0030000000000C3AAA", fields("DoNotCall", true));
        sync.poll("sf-person");

        assertThat(phoneCalls(cora)).satisfies(entry -> {
            assertThat(entry.answered()).isTrue();
            assertThat(entry.granted()).isFalse();
        });
    }

    /** Whether the record's last write-back carried this newsletter value (each step below writes a different one). */
    private static boolean lastWriteCarried(String id, boolean newsletter) {
        List<JsonNode> patches = salesforce.patches(id);
        return !patches.isEmpty() && patches.get(patches.size() - 1).path("Newsletter_Consent__c").asText().equals(String.valueOf(newsletter));
    }

    @Test
    void aGrantInTheHubAfterASalesforceDoNotCallSurvivesTheNextReadsOfTheUnchangedRecord() {
        sync.poll("sf-person");
        ContactId cass = linked("sf-person", "0030000000000C5AAA");
        salesforce.change("0030000000000C5AAA", fields("DoNotCall", true));
        sync.poll("sf-person");
        assertThat(phoneCalls(cass).granted()).isFalse();
        assertThat(phoneCalls(cass).answered()).isTrue();

        tx.executeWithoutResult(s -> {
            consents.record(cass, "phone-calls", true, user("agreed to calls after all"));
            consents.record(cass, "newsletter", true, user("signed up by phone"));
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> lastWriteCarried("0030000000000C5AAA", true));
        sync.poll("sf-person");
        sync.reconcile("sf-person");

        assertThat(phoneCalls(cass).granted()).as("the unchanged flag, read again, is no new refusal").isTrue();
        assertThat(salesforce.record("0030000000000C5AAA").path("DoNotCall").asBoolean()).as("and stays the user's").isTrue();
    }

    @Test
    void theHubNeitherTakesOverNorClearsADoNotCallASalesforceUserSet() {
        sync.poll("sf-person");
        ContactId cyd = linked("sf-person", "0030000000000C6AAA");
        salesforce.change("0030000000000C6AAA", fields("DoNotCall", true));
        sync.poll("sf-person");

        tx.executeWithoutResult(s -> consents.record(cyd, "newsletter", true, user("signed up by phone")));
        await().atMost(Duration.ofSeconds(20)).until(() -> lastWriteCarried("0030000000000C6AAA", true));
        assertThat(doNotCall.raisedByHub("sf-person", "0030000000000C6AAA")).isFalse();
        tx.executeWithoutResult(s -> {
            consents.record(cyd, "phone-calls", true, user("agreed to calls"));
            consents.record(cyd, "newsletter", false, user("unsubscribed by phone"));
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> lastWriteCarried("0030000000000C6AAA", false));

        assertThat(salesforce.record("0030000000000C6AAA").path("DoNotCall").asBoolean()).isTrue();
        assertThat(salesforce.patches("0030000000000C6AAA")).noneMatch(patch -> patch.has("DoNotCall"));
    }

    @Test
    void aDoNotCallWriteThatSalesforceRefusedLeavesNoHubMarkSoAFlagSetLaterIsTheCrmsRefusal() {
        sync.poll("sf-person");
        ContactId cato = linked("sf-person", "0030000000000C7AAA");
        salesforce.failWritesTo("0030000000000C7AAA");

        tx.executeWithoutResult(s -> consents.record(cato, "newsletter", true, user("signed up by phone")));
        await().atMost(Duration.ofSeconds(20)).until(() -> lastWriteCarried("0030000000000C7AAA", true));
        assertThat(salesforce.record("0030000000000C7AAA").path("DoNotCall").asBoolean()).as("the write was refused").isFalse();
        salesforce.change("0030000000000C7AAA", fields("DoNotCall", true));

        // Polled until the refusal is read: the mark is taken back once the refused result is in.
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            sync.poll("sf-person");
            assertThat(phoneCalls(cato)).satisfies(entry -> {
                assertThat(entry.answered()).isTrue();
                assertThat(entry.granted()).isFalse();
            });
        });
        assertThat(doNotCall.raisedByHub("sf-person", "0030000000000C7AAA")).isFalse();
    }

    /**
     * As a Bulk page is applied: asked for (its counting page) before the hub raised the flag,
     * its snapshot taken after the hub's write. The hub's own flag is no refusal however late the
     * snapshot was taken.
     */
    @Test
    void theHubsOwnDoNotCallOnAPageAskedForBeforeItsWriteIsNoRefusal() {
        sync.poll("sf-person");
        ContactId cleve = linked("sf-person", "0030000000000C8AAA");
        Instant pageAskedFor = clock.instant();

        tx.executeWithoutResult(s -> consents.record(cleve, "newsletter", true, user("signed up by phone")));
        await().atMost(Duration.ofSeconds(20)).until(() -> salesforce.record("0030000000000C8AAA").path("DoNotCall").asBoolean());
        await().atMost(Duration.ofSeconds(20)).until(() -> doNotCall.raisedByHub("sf-person", "0030000000000C8AAA"));
        doNotCall.read("sf-person", settings.connectors().get("sf-person").salesforce().objects().get("Contact"),
                salesforce.record("0030000000000C8AAA"), pageAskedFor);

        assertThat(phoneCalls(cleve).answered()).isFalse();
        assertThat(doNotCall.raisedByHub("sf-person", "0030000000000C8AAA")).isTrue();
    }

    private List<JsonNode> newsletterConsents() {
        return salesforce.records("ContactPointTypeConsent").stream()
                .filter(c -> c.path("PartyId").asText().equals(IVY_INDIVIDUAL) && c.path("DataUsePurposeId").asText().equals(NEWSLETTER_USE))
                .toList();
    }

    @Test
    void theIndividualAndOneContactPointTypeConsentPerPurposeFollowTheHubsAnswers() {
        sync.poll("sf-person");
        ContactId ivy = linked("sf-person", "0030000000000I1AAA");

        tx.executeWithoutResult(s -> consents.record(ivy, "newsletter", true, user("signed up by phone")));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(newsletterConsents()).singleElement().satisfies(consent -> {
            assertThat(consent.path("PrivacyConsentStatus").asText()).isEqualTo("OptIn");
            assertThat(consent.path("ContactPointType").asText()).isEqualTo("Email");
            assertThat(consent.path("EffectiveFrom").asText()).isNotBlank();
        }));
        JsonNode individual = salesforce.record(IVY_INDIVIDUAL);
        assertThat(individual.path("HasOptedOutTracking").asBoolean()).as("no tracking consent in the hub").isTrue();
        assertThat(individual.path("HasOptedOutProcessing").asBoolean()).isFalse();

        tx.executeWithoutResult(s -> consents.record(ivy, "newsletter", false, user("unsubscribed by phone")));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(newsletterConsents()).singleElement()
                .satisfies(consent -> assertThat(consent.path("PrivacyConsentStatus").asText()).isEqualTo("OptOut")));

        tx.executeWithoutResult(s -> consents.record(ivy, "stop-processing", true,
                new Evidence(ActorKind.CONTACT, "ivy", "preferences", Instant.now(), null, null, null, null)));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(salesforce.record(IVY_INDIVIDUAL).path("HasOptedOutProcessing").asBoolean()).isTrue());
        assertThat(newsletterConsents()).hasSize(1);
    }

    @Test
    void aFailedIndividualUpdateLeavesTheRecordsOwnWriteStandingWithItsRaisedFlagNotedAndIsRetried() {
        sync.poll("sf-person");
        ContactId ivy = linked("sf-person", "0030000000000I1AAA");
        salesforce.failWritesTo(IVY_INDIVIDUAL, "UNABLE_TO_LOCK_ROW");
        try {
            tx.executeWithoutResult(s -> {
                contacts.lock(ivy);
                optIn.attempt(ivy, io.consenthub.consent.optin.OptInAction.SET_OPT_OUT_USER, user("asked by phone"));
            });

            await().atMost(Duration.ofSeconds(20)).until(() -> salesforce.record("0030000000000I1AAA").path("HasOptedOutOfEmail")
                    .asBoolean() && !salesforce.patches(IVY_INDIVIDUAL).isEmpty());
            // The record's flag was written by the hub: it stays noted as the hub's, or this poll
            // would read the hub's own write back as the person's opt-out and keep it as Salesforce's.
            sync.poll("sf-person");
            assertThat(hub.queryForObject("select opt_out_flag from crm_record where connector_id = 'sf-person' and external_id = ?",
                    String.class, "0030000000000I1AAA")).isEqualTo("HUB");
        } finally {
            salesforce.acceptWritesTo(IVY_INDIVIDUAL);
        }
        // The retry writes the Individual (only a write that succeeds moves its SystemModstamp).
        String before = salesforce.record(IVY_INDIVIDUAL).path("SystemModstamp").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> !salesforce.record(IVY_INDIVIDUAL).path("SystemModstamp").asText().equals(before));
    }
}
