package io.consenthub.fields;

import com.fasterxml.jackson.databind.JsonNode;
import io.consenthub.contact.ContactId;
import io.consenthub.crypto.ContactKeys;
import io.consenthub.support.ApiClient;
import io.consenthub.support.TestKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sensitive fields end to end, through the API of a running hub: masked in every answer, found
 * only by the exposed characters, revealed only to a key allowed to with a reason, every attempt in
 * the hash-chained access log; and, on the raw bytes of every table and in the log output, no
 * plaintext value after a sync, a push, a web form and a reveal. Run on H2 and PostgreSQL.
 */
@ExtendWith(OutputCaptureExtension.class)
abstract class SensitiveFieldsContract {

    private static final String CARD = "4111 1111 1111 4242";
    private static final String CARD_DIGITS = "4111111111114242";

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    DataSource dataSource;
    @Autowired
    ContactKeys keys;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    io.consenthub.support.ContactFixtures fixtures;
    @org.springframework.beans.factory.annotation.Value("${consent-hub.crm.connectors.demo-crm.jdbc.url}")
    String demoCrmUrl;

    ApiClient api;

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    private String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** A contact with a national ID (storage granted by default) and, after its storage consent, a card number. */
    private String contactWithCardAndNationalId(String nationalId, String card) {
        var created = api.post("/api/contacts", TestKeys.USER, ApiClient.json(Map.of("email", "s-" + unique() + "@example.org",
                "attributes", Map.of("firstName", "Sigrid", "nationalId", nationalId))));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String id = created.json().get("id").asText();
        fixtures.answerAsContact(new ContactId(UUID.fromString(id)), "store-card-number", true);
        var patched = api.patch("/api/contacts/" + id, TestKeys.USER, ApiClient.json(Map.of("attributes", Map.of("cardNumber", card))));
        assertThat(patched.status()).as(patched.text()).isEqualTo(200);
        return id;
    }

    @Test
    void aSensitiveValueIsShownMaskedInEveryAnswer() {
        String nationalId = "19850101-" + (1000 + (int) (Math.random() * 8999));
        String id = contactWithCardAndNationalId(nationalId, CARD);

        JsonNode one = api.get("/api/contacts/" + id, TestKeys.USER).json();
        assertThat(one.get("attributes").get("cardNumber").asText()).isEqualTo("•••• 4242");
        assertThat(one.get("attributes").get("nationalId").asText()).isEqualTo("•••• " + nationalId.substring(9));
        assertThat(one.get("attributes").get("firstName").asText()).isEqualTo("Sigrid");
        var list = api.get("/api/contacts?size=500&field.cardNumber=4242", TestKeys.CRM);
        assertThat(list.text()).doesNotContain(CARD).doesNotContain(CARD_DIGITS).doesNotContain(nationalId);
        assertThat(list.json().get("items")).anySatisfy(c -> assertThat(c.get("id").asText()).isEqualTo(id));
        var history = api.get("/api/contacts/" + id + "/history", TestKeys.USER);
        assertThat(history.text()).doesNotContain(CARD_DIGITS).doesNotContain("4242").doesNotContain(nationalId);
    }

    @Test
    void thePageAsksAStorageConsentThatDefaultsToNoBeforeTheValueExistsAndShowsOnlyMasks() throws Exception {
        var created = api.post("/api/contacts", TestKeys.USER, ApiClient.json(Map.of("email", "page-" + unique() + "@example.org",
                "attributes", Map.of("salesStage", "ready-to-buy", "region", "EU"))));
        String id = created.json().get("id").asText();
        String url = api.post("/api/contacts/" + id + "/preference-link", TestKeys.USER, "").json().get("url").asText();
        var http = java.net.http.HttpClient.newHttpClient();
        String page = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url.replace("http://localhost:8080", "http://127.0.0.1:" + port))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        // the card can only be stored after a yes, so the question is there before any card is;
        // the national ID defaults to yes and is asked about only where the hub holds one
        assertThat(page).contains("c-store-card-number").doesNotContain("c-store-national-id");

        fixtures.answerAsContact(new ContactId(UUID.fromString(id)), "store-card-number", true);
        api.patch("/api/contacts/" + id, TestKeys.USER, ApiClient.json(Map.of("attributes", Map.of("cardNumber", CARD))));
        String withCard = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url.replace("http://localhost:8080", "http://127.0.0.1:" + port))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(withCard).contains("•••• 4242").doesNotContain(CARD).doesNotContain(CARD_DIGITS);
    }

    @Test
    void aValueStillInPlaintextFromBeforeItsDeclarationIsSealedByTheNextChangeNotLost() {
        var created = api.post("/api/contacts", TestKeys.USER, ApiClient.json(Map.of("email", "legacy-" + unique() + "@example.org",
                "attributes", Map.of("firstName", "Lisa"))));
        UUID id = UUID.fromString(created.json().get("id").asText());
        // as an earlier version, before nationalId was declared sensitive, left it
        tx.executeWithoutResult(s -> jdbc.sql("update contact set attributes = ? where id = ?")
                .params("{\"firstName\":\"Lisa\",\"nationalId\":\"19990101-7777\"}", id).update());

        var patched = api.patch("/api/contacts/" + id, TestKeys.USER, ApiClient.json(Map.of("attributes", Map.of("firstName", "Lise"))));

        assertThat(patched.status()).as(patched.text()).isEqualTo(200);
        assertThat(patched.json().get("attributes").get("nationalId").asText()).isEqualTo("•••• 7777");
        assertThat(jdbc.sql("select attributes from contact where id = ?").param(id).query(String.class).single())
                .doesNotContain("19990101");
        assertThat(jdbc.sql("select count(*) from contact_field where contact_id = ? and field = 'nationalId'").param(id)
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void aSearchMatchesOnlyTheExposedCharacters() {
        String id = contactWithCardAndNationalId("19700101-0001", "5105 1051 0510 5100");

        assertThat(ids(api.get("/api/contacts?size=500&field.cardNumber=5100", TestKeys.USER).json())).contains(id);
        assertThat(ids(api.get("/api/contacts?size=500&field.cardNumber=51-00", TestKeys.USER).json())).contains(id);
        // characters the mask hides never match, not even the first ones
        assertThat(ids(api.get("/api/contacts?size=500&field.cardNumber=5105", TestKeys.USER).json())).doesNotContain(id);
        var whole = api.get("/api/contacts?size=500&field.cardNumber=5105105105105100", TestKeys.USER);
        assertThat(whole.status()).as("more than the mask shows").isEqualTo(400);
        assertThat(whole.json().get("message").asText()).contains("at most the 4 characters").doesNotContain("5105");
        var notSearchable = api.get("/api/contacts?field.nationalId=0001", TestKeys.USER);
        assertThat(notSearchable.status()).isEqualTo(400);
        assertThat(notSearchable.json().get("message").asText()).contains("not searchable");
        assertThat(api.get("/api/contacts?field.firstName=Sig", TestKeys.USER).status()).isEqualTo(400);
    }

    private static List<String> ids(JsonNode page) {
        var ids = new ArrayList<String>();
        page.get("items").forEach(c -> ids.add(c.get("id").asText()));
        return ids;
    }

    @Test
    void onlyAKeyAllowedToRevealGetsThePlaintextWithAReasonAndEveryAttemptIsLogged() {
        String id = contactWithCardAndNationalId("19900101-0002", CARD);

        var byUser = api.post("/api/contacts/" + id + "/fields/cardNumber/reveal", TestKeys.USER, "{\"reason\":\"curious\"}");
        assertThat(byUser.status()).as(byUser.text()).isEqualTo(403);
        assertThat(byUser.text()).doesNotContain(CARD);
        var byAdmin = api.post("/api/contacts/" + id + "/fields/cardNumber/reveal", TestKeys.ADMIN, "{\"reason\":\"audit\"}");
        assertThat(byAdmin.status()).as("no role reveals on its own").isEqualTo(403);
        var withoutReason = api.post("/api/contacts/" + id + "/fields/cardNumber/reveal", TestKeys.BILLING, "{}");
        assertThat(withoutReason.status()).isEqualTo(400);
        var otherField = api.post("/api/contacts/" + id + "/fields/nationalId/reveal", TestKeys.BILLING, "{\"reason\":\"invoice 7\"}");
        assertThat(otherField.status()).isEqualTo(403);
        var revealed = api.post("/api/contacts/" + id + "/fields/cardNumber/reveal", TestKeys.BILLING,
                "{\"reason\":\"invoice 2026-1142\"}");
        assertThat(revealed.status()).as(revealed.text()).isEqualTo(200);
        assertThat(revealed.json().get("value").asText()).isEqualTo(CARD);
        assertThat(revealed.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-store"));

        var log = api.get("/api/field-access-log?contactId=" + id, TestKeys.ADMIN).json().get("entries");
        assertThat(log).hasSize(5);
        var newest = log.get(0);
        assertThat(newest.get("keyName").asText()).isEqualTo("test-billing");
        assertThat(newest.get("outcome").asText()).isEqualTo("REVEALED");
        assertThat(newest.get("reason").asText()).isEqualTo("invoice 2026-1142");
        assertThat(newest.get("ip").asText()).isNotBlank();
        List<String> rules = new ArrayList<>();
        log.forEach(e -> rules.add(e.get("keyName").asText() + ":" + e.get("rule").asText()));
        assertThat(rules).containsExactly("test-billing:revealed", "test-billing:no-reveal-permission",
                "test-billing:reason-required", "test-admin:no-reveal-permission", "test-user:no-reveal-permission");
        assertThat(api.get("/api/field-access-log?key=test-user&field=cardNumber&contactId=" + id, TestKeys.ADMIN)
                .json().get("entries")).hasSize(1);
        assertThat(api.get("/api/field-access-log", TestKeys.USER).status()).isEqualTo(403);
        assertThat(api.get("/api/field-access-log/verify", TestKeys.ADMIN).json().get("ok").asBoolean()).isTrue();
    }

    @Test
    void aValueAsLongAsAnAttributeMayBeIsSealedAndRevealedWhole() {
        String longest = "ä€".repeat(io.consenthub.contact.Attributes.MAX_VALUE_LENGTH / 2);
        String id = contactWithCardAndNationalId("19900101-0009", longest);

        var revealed = api.post("/api/contacts/" + id + "/fields/cardNumber/reveal", TestKeys.BILLING, "{\"reason\":\"long value\"}");

        assertThat(revealed.status()).as(revealed.text()).isEqualTo(200);
        assertThat(revealed.json().get("value").asText()).isEqualTo(longest);
    }

    @Test
    void anAccessLogEntryEditedInTheDatabaseIsNamedByVerify() {
        String id = contactWithCardAndNationalId("19900101-0003", CARD);
        api.post("/api/contacts/" + id + "/fields/cardNumber/reveal", TestKeys.BILLING, "{\"reason\":\"invoice 9\"}");
        long seq = jdbc.sql("select max(seq) from field_access_log").query(Long.class).single();

        tx.executeWithoutResult(s -> jdbc.sql("update field_access_log set key_name = 'someone-else' where seq = ?").param(seq).update());
        var verify = api.get("/api/field-access-log/verify", TestKeys.ADMIN).json();
        tx.executeWithoutResult(s -> jdbc.sql("update field_access_log set key_name = 'test-billing' where seq = ?").param(seq).update());

        assertThat(verify.get("ok").asBoolean()).isFalse();
        assertThat(verify.get("problems").get(0).asText()).contains("seq " + seq).contains("do not match its hash");
    }

    @Test
    void aCiphertextMovedToAnotherContactOrFieldDoesNotOpen() {
        String a = contactWithCardAndNationalId("19900101-0004", CARD);
        String b = contactWithCardAndNationalId("19900101-0005", "5555 5555 5555 4444");

        tx.executeWithoutResult(s -> jdbc.sql("""
                update contact_field set ciphertext = (select f.ciphertext from contact_field f where f.contact_id = ? and f.field = 'cardNumber')
                 where contact_id = ? and field = 'cardNumber'""").params(UUID.fromString(a), UUID.fromString(b)).update());
        tx.executeWithoutResult(s -> jdbc.sql("""
                update contact_field set ciphertext = (select f.ciphertext from contact_field f where f.contact_id = ? and f.field = 'cardNumber')
                 where contact_id = ? and field = 'nationalId'""").params(UUID.fromString(a), UUID.fromString(a)).update());

        assertThat(api.get("/api/contacts/" + b, TestKeys.USER).json().get("attributes").has("cardNumber")).isFalse();
        assertThat(api.get("/api/contacts/" + a, TestKeys.USER).json().get("attributes").has("nationalId")).isFalse();
        assertThat(api.post("/api/contacts/" + b + "/fields/cardNumber/reveal", TestKeys.BILLING, "{\"reason\":\"check\"}").status())
                .isEqualTo(404);
    }

    @Test
    void destroyingAContactsKeyLeavesNoneOfItsValuesReadableAndBothChainsVerifying() {
        String id = contactWithCardAndNationalId("19900101-0006", CARD);
        api.post("/api/contacts/" + id + "/fields/cardNumber/reveal", TestKeys.BILLING, "{\"reason\":\"invoice 11\"}");
        Map<String, List<String>> before = dump();

        tx.executeWithoutResult(s -> keys.destroy(new ContactId(UUID.fromString(id))));

        JsonNode contact = api.get("/api/contacts/" + id, TestKeys.USER).json();
        assertThat(contact.get("attributes").has("cardNumber")).isFalse();
        assertThat(contact.get("attributes").has("nationalId")).isFalse();
        assertThat(api.post("/api/contacts/" + id + "/fields/cardNumber/reveal", TestKeys.BILLING, "{\"reason\":\"again\"}").status())
                .isEqualTo(404);
        JsonNode entry = api.get("/api/field-access-log?contactId=" + id + "&limit=1&before=1000000000", TestKeys.ADMIN)
                .json().get("entries").get(0);
        assertThat(entry.get("evidenceErased").asBoolean()).isTrue();
        assertThat(entry.has("reason")).isFalse();
        assertThat(api.get("/api/field-access-log/verify", TestKeys.ADMIN).json().get("ok").asBoolean()).isTrue();
        assertThat(api.get("/api/ledger/verify", TestKeys.ADMIN).json().get("ok").asBoolean()).isTrue();
        // What the database holds for the contact is ciphertext no key opens any more: the dump
        // taken before holds no plaintext either, and the wrapped key is gone from the live table.
        assertThat(findPlaintext(before, List.of(CARD, CARD_DIGITS, "19900101-0006", "199001010006"))).isEmpty();
        assertThat(jdbc.sql("select count(*) from contact_key where contact_id = ? and wrapped_key is not null")
                .param(UUID.fromString(id)).query(Long.class).single()).isZero();
    }

    @Test
    void noTableAndNoLogLineHoldsASensitiveValueAfterASyncAPushAWebFormAndAReveal(CapturedOutput output) {
        String nationalId = "19770707-" + (1000 + (int) (Math.random() * 8999));
        String card = "3782 822463 1" + (1000 + (int) (Math.random() * 8999));
        String id = contactWithCardAndNationalId(nationalId, card);
        var pushedId = "19660606-" + (1000 + (int) (Math.random() * 8999));
        var push = api.post("/api/crm/shop-crm/contacts", TestKeys.CRM, ApiClient.json(Map.of("contacts", List.of(
                new LinkedHashMap<>(Map.of("externalId", "p-" + unique(), "email", "p-" + unique() + "@example.org",
                        "modified", "2026-11-01T10:00:00Z", "attributes", Map.of("nationalId", pushedId, "cardNumber", card)))))));
        assertThat(push.status()).as(push.text()).isEqualTo(200);
        var formId = "19550505-" + (1000 + (int) (Math.random() * 8999));
        var form = api.post("/api/webforms/submissions", TestKeys.WEBFORM, ApiClient.json(Map.of("formId", "signup",
                "email", "w-" + unique() + "@example.org", "marketingOptIn", false, "attributes", Map.of("nationalId", formId),
                "ip", "203.0.113.7", "userAgent", "test")));
        assertThat(form.status()).as(form.text()).isEqualTo(202);
        var revealed = api.post("/api/contacts/" + id + "/fields/cardNumber/reveal", TestKeys.BILLING, "{\"reason\":\"invoice 12\"}");
        assertThat(revealed.json().get("value").asText()).isEqualTo(card);
        List<String> demo = demoCrmValues();
        assertThat(demo).as("the demo CRM has sensitive values to sync").isNotEmpty();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                jdbc.sql("select count(*) from contact_field where field = 'nationalId'").query(Long.class).single() >= 3 + demo.size());

        var secrets = new ArrayList<>(List.of(nationalId, nationalId.replace("-", ""), card, card.replace(" ", ""), pushedId,
                pushedId.replace("-", ""), formId, formId.replace("-", "")));
        secrets.addAll(demo);
        assertThat(findPlaintext(dump(), secrets)).isEmpty();
        assertThat(secrets).allSatisfy(secret -> assertThat(output.getAll()).doesNotContain(secret));
    }

    /** The sensitive values of the demo CRM, as they sit there in plaintext (its in-memory database in this JVM). */
    private List<String> demoCrmValues() {
        var values = new ArrayList<String>();
        try (Connection c = java.sql.DriverManager.getConnection(demoCrmUrl, "sa", "");
             ResultSet rs = c.createStatement().executeQuery("select cf_national_id from vtiger_contactscf where cf_national_id is not null")) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return values;
    }

    /** Every value of every row of every table of the hub's schema, as text, by table. */
    Map<String, List<String>> dump() {
        var dump = new LinkedHashMap<String, List<String>>();
        try (Connection c = dataSource.getConnection()) {
            String schema = c.getSchema();
            var tables = new ArrayList<String>();
            try (ResultSet rs = c.getMetaData().getTables(null, schema, "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            assertThat(tables).contains("contact", "contact_field", "consent_event", "crm_record", "field_access_log");
            for (String table : tables) {
                var values = new ArrayList<String>();
                try (ResultSet rs = c.createStatement().executeQuery("select * from \"" + table + "\"")) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            Object value = rs.getObject(i);
                            if (value instanceof byte[] bytes) {
                                values.add(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
                            } else if (value != null) {
                                values.add(value.toString());
                            }
                        }
                    }
                }
                dump.put(table, values);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return dump;
    }

    private static List<String> findPlaintext(Map<String, List<String>> dump, List<String> secrets) {
        var found = new ArrayList<String>();
        dump.forEach((table, values) -> values.forEach(v -> secrets.forEach(secret -> {
            if (v.contains(secret)) {
                found.add(table);
            }
        })));
        return found;
    }
}
