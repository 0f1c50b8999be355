package io.consenthub.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.consenthub.consent.ActorKind;
import io.consenthub.consent.Evidence;
import io.consenthub.contact.ContactId;
import io.consenthub.consent.optin.EmailOptIn;
import io.consenthub.consent.optin.OptInAction;
import io.consenthub.support.ApiClient;
import io.consenthub.support.TestKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API as a CRM, a website and an admin use it, over HTTP against the real store. Run once per
 * store (H2 and PostgreSQL) by the subclasses.
 */
abstract class ApiContractTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate db;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    EmailOptIn optIn;

    ApiClient api;

    @BeforeEach
    void connect() {
        api = new ApiClient(port);
    }

    private static String email(String who) {
        return who + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
    }

    private String createContact(String email, String optInStatus) {
        var body = new LinkedHashMap<String, Object>();
        body.put("email", email);
        body.put("attributes", Map.of("firstName", "Test", "region", "EU"));
        if (optInStatus != null) {
            body.put("optInStatus", optInStatus);
        }
        var answer = api.post("/api/contacts", TestKeys.USER, ApiClient.json(body));
        assertThat(answer.status()).as(answer.text()).isEqualTo(201);
        return answer.json().get("id").asText();
    }

    private long events() {
        return db.queryForObject("select count(*) from consent_event", Long.class);
    }

    private long contacts() {
        return db.queryForObject("select count(*) from contact", Long.class);
    }

    private JsonNode entry(JsonNode contact, String purpose) {
        for (JsonNode e : contact.get("consents").get("consents")) {
            if (e.get("purpose").asText().equals(purpose)) {
                return e;
            }
        }
        throw new AssertionError("no consent entry " + purpose);
    }

    @Test
    void aCreatedContactShowsItsConsentsBlockWithDefaultsAndItsHistory() {
        String id = createContact(email("anna"), "SINGLE_OPT_IN_USER");

        var contact = api.get("/api/contacts/" + id, TestKeys.CRM).json();

        assertThat(contact.get("consents").get("emailOptInStatus").asText()).isEqualTo("SINGLE_OPT_IN_USER");
        assertThat(entry(contact, "store-national-id").get("granted").asBoolean()).isTrue();
        assertThat(entry(contact, "store-national-id").get("answered").asBoolean()).isFalse();
        assertThat(entry(contact, "newsletter").get("granted").asBoolean()).isFalse();
        JsonNode history = contact.get("history");
        assertThat(history).hasSize(1);
        assertThat(history.get(0).get("value").asText()).isEqualTo("SINGLE_OPT_IN_USER");
        assertThat(history.get(0).get("previousValue").asText()).isEqualTo("NONE");
        assertThat(history.get(0).get("actorKind").asText()).isEqualTo("USER");
        assertThat(history.get(0).get("actorId").asText()).isEqualTo("test-user");
        assertThat(history.get(0).get("userAgent").asText()).isEqualTo("consent-hub-test");
        assertThat(history.get(0).get("hash").asText()).hasSize(64);
    }

    @Test
    void importingTenContactsCreatesThemAndReimportingMergesInsteadOfDuplicating() {
        var rows = new ArrayList<Map<String, Object>>();
        String batch = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 10; i++) {
            rows.add(Map.of("email", "import-" + batch + "-" + i + "@example.org",
                    "attributes", Map.of("firstName", "P" + i),
                    "crmLinks", List.of(Map.of("connectorId", "vtiger", "externalId", batch + i)),
                    "optInStatus", i < 4 ? "SINGLE_OPT_IN_USER" : "NONE"));
        }
        var first = api.post("/api/contacts/import", TestKeys.USER, ApiClient.json(Map.of("contacts", rows)));
        assertThat(first.status()).as(first.text()).isEqualTo(200);
        assertThat(first.json().get("created").asInt()).isEqualTo(10);
        assertThat(first.json().get("rows").get(0).get("optIn").asText()).isEqualTo("SINGLE_OPT_IN_USER");

        rows.set(0, Map.of("email", "import-" + batch + "-0@example.org", "attributes", Map.of("firstName", "Renamed")));
        var second = api.post("/api/contacts/import", TestKeys.USER, ApiClient.json(Map.of("contacts", rows)));

        assertThat(second.json().get("created").asInt()).isZero();
        assertThat(second.json().get("updated").asInt()).isEqualTo(1);
        assertThat(second.json().get("unchanged").asInt()).isEqualTo(9);
        assertThat(second.json().get("rows").get(1).get("optIn").asText()).startsWith("unchanged");
        var found = api.get("/api/contacts?connector=vtiger&size=500", TestKeys.USER).json();
        assertThat(found.get("items").findValuesAsText("email")).contains("import-" + batch + "-9@example.org");
    }

    @Test
    void anImportWithOneBadRowWritesNothingAndNamesTheRow() {
        long before = contacts();
        var rows = List.of(Map.of("email", email("good")), Map.of("email", "not-an-email"), Map.of("email", email("also-good")));

        var answer = api.post("/api/contacts/import", TestKeys.USER, ApiClient.json(Map.of("contacts", rows)));

        assertThat(answer.status()).isEqualTo(400);
        // The row by its position and the rule; never the value, as the message may also be logged.
        assertThat(answer.json().get("message").asText()).contains("contacts[1]").contains("not a valid email address")
                .doesNotContain("not-an-email");
        assertThat(contacts()).isEqualTo(before);
    }

    @Test
    void aWebFormWithTheMarketingBoxRecordsSingleOptInWebformWithThePersonsEvidence() {
        String address = email("bo");
        var form = Map.of("formId", "signup", "email", address, "marketingOptIn", true,
                "consents", Map.of("newsletter", true), "ip", "203.0.113.7", "userAgent", "Mozilla/5.0 (form)");

        var answer = api.post("/api/webforms/submissions", TestKeys.WEBFORM, ApiClient.json(form));

        assertThat(answer.status()).isEqualTo(202);
        String submissionId = answer.json().get("submissionId").asText();
        var page = api.get("/api/contacts?optInStatus=SINGLE_OPT_IN_WEBFORM&consent.newsletter=granted&size=500", TestKeys.USER).json();
        JsonNode contact = null;
        for (JsonNode item : page.get("items")) {
            if (item.get("email").asText().equals(address)) {
                contact = api.get("/api/contacts/" + item.get("id").asText(), TestKeys.USER).json();
            }
        }
        assertThat(contact).as("web-form contact is found by status and consent filter").isNotNull();
        JsonNode optInEvent = contact.get("history").get(0);
        assertThat(optInEvent.get("value").asText()).isEqualTo("SINGLE_OPT_IN_WEBFORM");
        assertThat(optInEvent.get("actorKind").asText()).isEqualTo("CONTACT");
        assertThat(optInEvent.get("channel").asText()).isEqualTo("web-form");
        assertThat(optInEvent.get("ip").asText()).isEqualTo("203.0.113.7");
        assertThat(optInEvent.get("userAgent").asText()).isEqualTo("Mozilla/5.0 (form)");
        assertThat(optInEvent.get("proofId").asText()).isEqualTo(submissionId);
    }

    @Test
    void theWebFormAnswersAKnownAddressExactlyLikeAnUnknownOne() {
        String known = email("known");
        createContact(known, null);
        var forKnown = api.post("/api/webforms/submissions", TestKeys.WEBFORM,
                ApiClient.json(Map.of("formId", "signup", "email", known, "marketingOptIn", false)));
        var forUnknown = api.post("/api/webforms/submissions", TestKeys.WEBFORM,
                ApiClient.json(Map.of("formId", "signup", "email", email("unknown"), "marketingOptIn", false)));

        assertThat(forKnown.status()).isEqualTo(forUnknown.status()).isEqualTo(202);
        assertThat(forKnown.json().fieldNames()).toIterable().containsExactlyInAnyOrderElementsOf(
                () -> forUnknown.json().fieldNames());
    }

    @Test
    void aRefusedTransitionIsAnswered409WithTheReasonAndLeavesTheLedgerUnchanged() {
        String id = createContact(email("carl"), "SINGLE_OPT_IN_USER");
        tx.executeWithoutResult(s -> optIn.apply(ContactId.parse(id), OptInAction.OPT_OUT_BY_CONTACT,
                new Evidence(ActorKind.CONTACT, null, "preference-page", Instant.now(), "198.51.100.1", "test", "confirm-1", null)));
        long before = events();

        var answer = api.post("/api/contacts/" + id + "/opt-in-actions", TestKeys.USER,
                "{\"action\":\"REVERT_OPT_OUT_USER\",\"note\":\"customer called\"}");

        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.json().get("message").asText()).contains("OPT_OUT_CONTACT").contains("no user can reverse");
        assertThat(events()).isEqualTo(before);
        var single = api.post("/api/contacts/" + id + "/opt-in-actions", TestKeys.USER, "{\"action\":\"SET_SINGLE_OPT_IN_USER\"}");
        assertThat(single.status()).isEqualTo(409);
        assertThat(events()).isEqualTo(before);
    }

    @Test
    void aUserOptOutCanBeRevertedToTheStatusBeforeIt() {
        String id = createContact(email("dora"), "SINGLE_OPT_IN_USER");

        var out = api.post("/api/contacts/" + id + "/opt-in-actions", TestKeys.USER, "{\"action\":\"SET_OPT_OUT_USER\"}");
        var back = api.post("/api/contacts/" + id + "/opt-in-actions", TestKeys.USER, "{\"action\":\"REVERT_OPT_OUT_USER\"}");

        assertThat(out.json().get("emailOptInStatus").asText()).isEqualTo("OPT_OUT_USER");
        assertThat(back.json().get("emailOptInStatus").asText()).isEqualTo("SINGLE_OPT_IN_USER");
    }

    @Test
    void changingThePrimaryEmailResetsTheOptInStatusToNone() {
        String id = createContact(email("erik"), "SINGLE_OPT_IN_USER");

        var answer = api.patch("/api/contacts/" + id, TestKeys.USER,
                ApiClient.json(Map.of("email", email("erik-new"), "attributes", Map.of("salesStage", "ready-to-buy"))));

        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        assertThat(answer.json().get("consents").get("emailOptInStatus").asText()).isEqualTo("NONE");
        assertThat(answer.json().get("attributes").get("salesStage").asText()).isEqualTo("ready-to-buy");
        assertThat(answer.json().get("attributes").get("firstName").asText()).isEqualTo("Test");
    }

    @Test
    void badInputIsAnswered400WithAReadableMessageAndWritesNothing() {
        String id = createContact(email("fay"), null);
        long contactsBefore = contacts();
        long eventsBefore = events();
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{\"email\":", "not valid JSON");
        cases.put("{\"email\":\"x@example.org\",\"colour\":\"red\"}", "unknown field 'colour'");
        cases.put("{\"email\":\"no-at-sign\"}", "not a valid email address");
        cases.put("{\"email\":\"x@example.org\",\"attributes\":[1]}", "attributes");
        cases.put("{\"email\":\"x@example.org\",\"optInStatus\":\"DOUBLE_OPT_IN\"}", "may only be NONE or SINGLE_OPT_IN_USER");
        cases.forEach((body, expected) -> {
            var answer = api.post("/api/contacts", TestKeys.USER, body);
            assertThat(answer.status()).as(body).isEqualTo(400);
            assertThat(answer.json().get("message").asText()).as(body).contains(expected);
            assertThat(answer.text()).doesNotContain("Exception").doesNotContain("at io.");
        });
        var unknownPurpose = api.post("/api/contacts/" + id + "/consents", TestKeys.USER, "{\"purpose\":\"telepathy\",\"granted\":true}");
        assertThat(unknownPurpose.status()).isEqualTo(400);
        assertThat(unknownPurpose.json().get("message").asText()).contains("unknown consent purpose 'telepathy'");
        var formBody = api.postAs("/api/contacts", TestKeys.USER, "application/x-www-form-urlencoded", "email=x@example.org");
        assertThat(formBody.status()).isEqualTo(415);
        var badFilter = api.get("/api/contacts?optInStatus=MAYBE", TestKeys.USER);
        assertThat(badFilter.status()).isEqualTo(400);
        assertThat(api.get("/api/contacts/not-a-uuid", TestKeys.USER).status()).isEqualTo(400);
        assertThat(api.get("/api/contacts/" + UUID.randomUUID(), TestKeys.USER).status()).isEqualTo(404);

        assertThat(contacts()).isEqualTo(contactsBefore);
        assertThat(events()).isEqualTo(eventsBefore);
    }

    @Test
    void callsWithoutAValidKeyAre401AndCallsOutsideTheRoleAre403() {
        assertThat(api.get("/api/contacts", null).status()).isEqualTo(401);
        assertThat(api.get("/api/contacts", "not-a-key").status()).isEqualTo(401);
        assertThat(api.get("/api/contacts", TestKeys.WEBFORM).status()).isEqualTo(403);
        assertThat(api.post("/api/contacts", TestKeys.CRM, "{\"email\":\"x@example.org\"}").status()).isEqualTo(403);
        var forbidden = api.get("/api/ledger/verify", TestKeys.USER);
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.json().get("message").asText()).contains("test-user");
    }

    @Test
    void answersNeverEchoTheCallersKeyOrInternalHeaders() {
        var answer = api.get("/api/contacts?size=1", TestKeys.USER);
        assertThat(answer.headers().map().keySet()).noneMatch(h -> h.equalsIgnoreCase("X-API-Key") || h.toLowerCase().startsWith("consenthub"));
        assertThat(answer.text()).doesNotContain(TestKeys.USER);
    }

    @Test
    void aCallerCannotClaimAnotherIdentityThroughInternalHeaders() {
        var body = ApiClient.json(Map.of("email", email("gus")));
        var answer = api.send("/api/contacts", TestKeys.USER, body, Map.of("ConsentHub-Caller", "someone-else", "ConsentHub-Role", "ADMIN"));
        String id = answer.json().get("id").asText();
        api.post("/api/contacts/" + id + "/opt-in-actions", TestKeys.USER, "{\"action\":\"SET_OPT_OUT_USER\"}");
        var history = api.get("/api/contacts/" + id + "/history", TestKeys.USER).json();
        assertThat(history.get(0).get("actorId").asText()).isEqualTo("test-user");
    }

    @Test
    void listsFilterByConsentValueIncludingDefaultsAndReportsCountThem() {
        String granted = createContact(email("hanna"), null);
        String byDefault = createContact(email("hugo"), null);
        api.post("/api/contacts/" + granted + "/consents", TestKeys.USER, "{\"purpose\":\"automated-decisions\",\"granted\":true}");

        var page = api.get("/api/contacts?consent.automated-decisions=granted&size=500", TestKeys.USER).json();
        var revoked = api.get("/api/contacts?consent.automated-decisions=revoked&size=500", TestKeys.USER).json();
        var report = api.get("/api/reports/consents", TestKeys.USER).json();

        assertThat(page.get("items").findValuesAsText("id")).contains(granted);
        assertThat(page.get("total").asLong() + revoked.get("total").asLong()).isEqualTo(contacts());
        assertThat(revoked.get("items").findValuesAsText("id")).contains(byDefault).doesNotContain(granted);
        assertThat(report.get("consents").get("automated-decisions").get("GRANTED").asLong()).isEqualTo(page.get("total").asLong());
        assertThat(report.get("contacts").asLong()).isEqualTo(contacts());
    }

    @Test
    void ledgerVerificationNamesARowEditedInTheDatabase() {
        String id = createContact(email("ivar"), "SINGLE_OPT_IN_USER");
        long seq = db.queryForObject("select max(seq) from consent_event where contact_id = ?", Long.class, UUID.fromString(id));
        assertThat(api.get("/api/ledger/verify", TestKeys.ADMIN).json().get("ok").asBoolean()).isTrue();

        db.update("update consent_event set new_value = 'DOUBLE_OPT_IN' where seq = ?", seq);
        try {
            var result = api.get("/api/ledger/verify", TestKeys.ADMIN).json();
            assertThat(result.get("ok").asBoolean()).isFalse();
            assertThat(result.get("problems").findValuesAsText("kind")).contains("edited");
            assertThat(result.get("problems").get(0).get("seq").asLong()).isEqualTo(seq);
        } finally {
            db.update("update consent_event set new_value = 'SINGLE_OPT_IN_USER' where seq = ?", seq);
        }
        assertThat(api.get("/api/ledger/verify", TestKeys.ADMIN).json().get("ok").asBoolean()).isTrue();
    }

    @Test
    void ledgerVerificationNamesTheGapLeftByADeletedRowAndAProjectionThatDisagrees() {
        String id = createContact(email("jon"), "SINGLE_OPT_IN_USER");
        api.post("/api/contacts/" + id + "/opt-in-actions", TestKeys.USER, "{\"action\":\"SET_OPT_OUT_USER\"}");
        long first = db.queryForObject("select min(seq) from consent_event where contact_id = ?", Long.class, UUID.fromString(id));
        Map<String, Object> row = db.queryForMap("select * from consent_event where seq = ?", first);

        db.update("delete from consent_event where seq = ?", first);
        try {
            var result = api.get("/api/ledger/verify", TestKeys.ADMIN).json();
            assertThat(result.get("ok").asBoolean()).isFalse();
            JsonNode problem = result.get("problems").get(0);
            assertThat(problem.get("kind").asText()).isEqualTo("missing-rows");
            assertThat(problem.get("detail").asText()).contains("contact " + id).contains("expected position 1 of its chain");
        } finally {
            var columns = String.join(", ", row.keySet());
            var marks = String.join(", ", row.keySet().stream().map(c -> "?").toList());
            db.update("insert into consent_event (" + columns + ") values (" + marks + ")", row.values().toArray());
        }
        db.update("update consent_state set state_value = 'DOUBLE_OPT_IN' where contact_id = ? and subject = 'email-opt-in'", UUID.fromString(id));
        try {
            var result = api.get("/api/ledger/verify", TestKeys.ADMIN).json();
            assertThat(result.get("problems").findValuesAsText("kind")).containsExactly("projection-mismatch");
            assertThat(result.get("problems").get(0).get("detail").asText()).contains(id);
        } finally {
            db.update("update consent_state set state_value = 'OPT_OUT_USER' where contact_id = ? and subject = 'email-opt-in'", UUID.fromString(id));
        }
        assertThat(api.get("/api/ledger/verify", TestKeys.ADMIN).json().get("ok").asBoolean()).isTrue();
    }

    @Autowired
    io.consenthub.consent.LedgerCheckpoints checkpoints;

    @Test
    void ledgerVerificationNamesATailDeletedAfterASignedCheckpointAndTheCheckpointsAndKeysArePublished() {
        String id = createContact(email("kai"), "SINGLE_OPT_IN_USER");
        api.post("/api/contacts/" + id + "/opt-in-actions", TestKeys.USER, "{\"action\":\"SET_OPT_OUT_USER\"}");
        UUID contact = UUID.fromString(id);
        tx.execute(s -> checkpoints.sealNow());
        var verified = api.get("/api/ledger/verify", TestKeys.ADMIN).json();
        assertThat(verified.get("ok").asBoolean()).as(verified.toString()).isTrue();
        long sealed = verified.get("checkpoint").asLong();
        JsonNode listed = api.get("/api/ledger/checkpoints?limit=1", TestKeys.ADMIN).json();
        assertThat(listed.get("items").get(0).get("id").asLong()).isEqualTo(sealed);
        assertThat(listed.get("items").get(0).get("jws").asText()).startsWith("eyJ");
        var jwks = api.get("/.well-known/jwks.json", null);
        assertThat(jwks.status()).isEqualTo(200);
        assertThat(jwks.json().get("keys").get(0).get("kid").asText()).isEqualTo(listed.get("keys").get(0).get("kid").asText());
        assertThat(api.get("/api/ledger/verify?contactId=" + id, TestKeys.ADMIN).json().get("eventsChecked").asLong()).isEqualTo(2);

        long last = db.queryForObject("select max(contact_seq) from consent_event where contact_id = ?", Long.class, contact);
        Map<String, Object> row = db.queryForMap("select * from consent_event where contact_id = ? and contact_seq = ?", contact, last);
        Map<String, Object> head = db.queryForMap("select last_contact_seq, last_hash from ledger_chain where contact_id = ?", contact);
        db.update("delete from consent_event where contact_id = ? and contact_seq = ?", contact, last);
        db.update("update ledger_chain set last_contact_seq = ?, last_hash = (select hash from consent_event where contact_id = ? and contact_seq = ?)"
                + " where contact_id = ?", last - 1, contact, last - 1, contact);
        db.update("update consent_state set state_value = 'SINGLE_OPT_IN_USER' where contact_id = ? and subject = 'email-opt-in'", contact);
        try {
            var result = api.get("/api/ledger/verify", TestKeys.ADMIN).json();
            assertThat(result.get("ok").asBoolean()).isFalse();
            assertThat(result.get("problems").findValuesAsText("kind")).containsExactly("truncated");
            assertThat(result.get("problems").get(0).get("detail").asText()).contains(id).contains("sealed its chain at position " + last);
            assertThat(api.get("/api/ledger/verify?contactId=" + id, TestKeys.ADMIN).json().get("problems").findValuesAsText("kind"))
                    .containsExactly("truncated");
        } finally {
            var columns = String.join(", ", row.keySet());
            var marks = String.join(", ", row.keySet().stream().map(c -> "?").toList());
            db.update("insert into consent_event (" + columns + ") values (" + marks + ")", row.values().toArray());
            db.update("update ledger_chain set last_contact_seq = ?, last_hash = ? where contact_id = ?", head.get("last_contact_seq"),
                    head.get("last_hash"), contact);
            db.update("update consent_state set state_value = 'OPT_OUT_USER' where contact_id = ? and subject = 'email-opt-in'", contact);
        }
        assertThat(api.get("/api/ledger/verify", TestKeys.ADMIN).json().get("ok").asBoolean()).isTrue();
        assertThat(api.get("/api/ledger/verify?contactId=" + UUID.randomUUID(), TestKeys.ADMIN).status()).isEqualTo(404);
        assertThat(api.get("/api/ledger/verify?contactId=nobody", TestKeys.ADMIN).status()).isEqualTo(400);
    }

    @Autowired
    io.consenthub.consent.ConsentRecords consentRecords;
    @Autowired
    io.consenthub.links.LinkTokens linkTokens;

    private void contactAnswers(String id, String purpose, boolean granted) {
        tx.executeWithoutResult(s -> consentRecords.record(ContactId.parse(id), purpose, granted,
                new Evidence(ActorKind.CONTACT, null, "preference-page", Instant.now(), "198.51.100.2", "test", "confirm-2", null)));
    }

    @Test
    void aContactWhoAskedToStopProcessingIsLockedUntilAnAdminUnlocksIt() {
        String id = createContact(email("kim"), null);
        contactAnswers(id, "stop-processing", true);

        var edit = api.patch("/api/contacts/" + id, TestKeys.USER, "{\"attributes\":{\"phone\":\"123\"}}");
        assertThat(edit.status()).isEqualTo(409);
        assertThat(edit.json().get("message").asText()).contains("stop processing");
        assertThat(api.post("/api/contacts/" + id + "/unlock", TestKeys.USER, "{\"note\":\"asked by phone\"}").status()).isEqualTo(403);

        var unlock = api.post("/api/contacts/" + id + "/unlock", TestKeys.ADMIN, "{\"note\":\"contact asked by phone\"}");

        assertThat(unlock.status()).as(unlock.text()).isEqualTo(200);
        assertThat(unlock.json().get("consents").get("stopProcessing").asBoolean()).isFalse();
        assertThat(api.patch("/api/contacts/" + id, TestKeys.USER, "{\"attributes\":{\"phone\":\"123\"}}").status()).isEqualTo(200);
    }

    @Test
    void aFieldWhoseStorageTheContactRevokedCannotBeSetAgain() {
        String id = createContact(email("lea"), null);
        contactAnswers(id, "store-national-id", false);

        var edit = api.patch("/api/contacts/" + id, TestKeys.USER, "{\"attributes\":{\"nationalId\":\"19800101-1234\"}}");

        assertThat(edit.status()).isEqualTo(409);
        assertThat(edit.json().get("message").asText()).contains("nationalId");
        assertThat(api.get("/api/contacts/" + id, TestKeys.USER).json().get("attributes").has("nationalId")).isFalse();
    }

    @Test
    void changingTheEmailRevokesLinksMailedToTheOldAddressButACaseChangeIsNoChange() {
        String address = email("max");
        String id = createContact(address, "SINGLE_OPT_IN_USER");
        String token = tx.execute(s -> linkTokens.issue(io.consenthub.links.TokenPurpose.PREFERENCES, ContactId.parse(id), "test",
                java.time.Duration.ofDays(1)).token());

        var sameMailbox = api.patch("/api/contacts/" + id, TestKeys.USER, ApiClient.json(Map.of("email", address.toUpperCase())));
        assertThat(sameMailbox.json().get("consents").get("emailOptInStatus").asText()).isEqualTo("SINGLE_OPT_IN_USER");
        assertThat(linkTokens.peek(io.consenthub.links.TokenPurpose.PREFERENCES, token)).isPresent();

        api.patch("/api/contacts/" + id, TestKeys.USER, ApiClient.json(Map.of("email", email("max-new"))));

        assertThat(linkTokens.peek(io.consenthub.links.TokenPurpose.PREFERENCES, token)).isEmpty();
    }

    @Test
    void aWebFormCannotAnswerForAKnownContactWithoutTheirConfirmationNorSetLockingConsents() {
        String address = email("nils");
        String id = createContact(address, null);
        long before = events();

        var known = api.post("/api/webforms/submissions", TestKeys.WEBFORM, ApiClient.json(Map.of("formId", "signup",
                "email", address, "consents", Map.of("share-with-partner-acme", true))));
        var erasure = api.post("/api/webforms/submissions", TestKeys.WEBFORM, ApiClient.json(Map.of("formId", "signup",
                "email", address, "consents", Map.of("erasure", true))));

        assertThat(known.status()).isEqualTo(202);
        assertThat(events()).isEqualTo(before);
        assertThat(db.queryForObject("select count(*) from preference_change where contact_id = ? and status = 'PENDING'",
                Long.class, UUID.fromString(id))).isEqualTo(1);
        assertThat(erasure.status()).isEqualTo(400);
        assertThat(erasure.json().get("message").asText()).contains("cannot be answered on a web form");
    }

    @Test
    void reservedParameterNamesAndMalformedMessageIdsAreRefused() {
        String id = createContact(email("olle"), null);
        var spoof = api.post("/api/contacts/" + id + "/opt-in-actions?ConsentHub-Caller=someone", TestKeys.USER,
                "{\"action\":\"SET_OPT_OUT_USER\"}");
        assertThat(spoof.status()).isEqualTo(400);
        var injected = api.post("/api/emails", TestKeys.USER, ApiClient.json(Map.of("contactId", id, "kind", "REPLY",
                "subject", "Re", "text", "x", "inReplyTo", "<a@b>\r\nBcc: victim@example.org")));
        assertThat(injected.status()).isEqualTo(400);
        assertThat(injected.json().get("message").asText()).contains("Message-ID");
    }

    @Test
    void theOpenApiDocumentDescribesTheContactEndpoints() {
        var doc = api.get("/api/openapi.json", null);
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.json().get("paths").has("/api/contacts")).isTrue();
        assertThat(doc.json().get("paths").has("/api/contacts/{id}/opt-in-actions")).isTrue();
    }
}
