package io.consenthub.consent;

import com.fasterxml.jackson.databind.JsonNode;
import io.consenthub.contact.ContactId;
import io.consenthub.crypto.ContactKeys;
import io.consenthub.support.ApiClient;
import io.consenthub.support.TestKeys;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Evidence (IP, user agent, note) is stored only as ciphertext under the contact's key; destroying
 * that key erases it while the ledger still verifies. Run on H2 and PostgreSQL by the subclasses.
 */
abstract class EvidenceErasureTest {

    private static final String FORM_IP = "203.0.113.77";
    private static final String FORM_AGENT = "Mozilla/5.0 (evidence-erasure)";

    @LocalServerPort
    int port;
    @Autowired
    ContactKeys keys;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate tx;

    private ApiClient api;

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    @Test
    void destroyingAContactsKeyErasesItsEvidenceAndTheLedgerStillVerifies() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String address = "erase-" + tag + "@example.org";
        String changed = "erased-" + tag + "@example.org";
        var form = Map.of("formId", "signup", "email", address, "marketingOptIn", true,
                "consents", Map.of("newsletter", true), "ip", FORM_IP, "userAgent", FORM_AGENT);
        assertThat(api.post("/api/webforms/submissions", TestKeys.WEBFORM, ApiClient.json(form)).status()).isEqualTo(202);
        String id = contactIdOf(address);
        assertThat(api.patch("/api/contacts/" + id, TestKeys.USER, ApiClient.json(Map.of("email", changed))).status()).isEqualTo(200);
        var optOut = api.post("/api/contacts/" + id + "/opt-in-actions", TestKeys.USER,
                ApiClient.json(Map.of("action", "SET_OPT_OUT_USER", "note", "asked by phone, wrote from " + address)));
        assertThat(optOut.status()).as(optOut.text()).isEqualTo(200);

        JsonNode before = api.get("/api/contacts/" + id + "/history", TestKeys.USER).json();
        assertThat(texts(before, "ip")).contains(FORM_IP, "127.0.0.1");
        assertThat(texts(before, "userAgent")).contains(FORM_AGENT, "consent-hub-test");
        assertThat(texts(before, "note")).anyMatch(n -> n.contains("primary email changed"))
                .anyMatch(n -> n.contains("wrote from " + address));
        assertThat(texts(before, "note")).noneMatch(n -> n.contains(changed));
        assertNoReadableEvidence(id, address, changed);

        tx.executeWithoutResult(s -> keys.destroy(new ContactId(UUID.fromString(id))));

        var verify = api.get("/api/ledger/verify", TestKeys.ADMIN);
        assertThat(verify.status()).isEqualTo(200);
        assertThat(verify.json().get("ok").asBoolean()).as(verify.text()).isTrue();
        assertNoReadableEvidence(id, address, changed);
        JsonNode after = api.get("/api/contacts/" + id + "/history", TestKeys.USER).json();
        assertThat(after).hasSameSizeAs(before);
        for (JsonNode entry : after) {
            assertThat(entry.get("evidenceErased").asBoolean()).isTrue();
            assertThat(entry.has("ip")).isFalse();
            assertThat(entry.has("userAgent")).isFalse();
            assertThat(entry.has("note")).isFalse();
            assertThat(entry.get("hash").asText()).hasSize(64);
        }
    }

    @Test
    void evidenceAppendedAfterTheKeyWasDestroyedIsNotKeptAndTheLedgerStillVerifies() {
        String address = "late-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        var created = api.post("/api/contacts", TestKeys.USER, ApiClient.json(Map.of("email", address)));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String id = contactIdOf(address);
        tx.executeWithoutResult(s -> keys.destroy(new ContactId(UUID.fromString(id))));

        var optIn = api.post("/api/contacts/" + id + "/opt-in-actions", TestKeys.USER,
                ApiClient.json(Map.of("action", "SET_SINGLE_OPT_IN_USER", "note", "from " + address)));

        assertThat(optIn.status()).as(optIn.text()).isEqualTo(200);
        assertThat(jdbc.queryForObject("select count(*) from consent_event where contact_id = ? and (ip is not null or user_agent is not null or note is not null)",
                Long.class, UUID.fromString(id))).isZero();
        assertThat(jdbc.queryForObject("select count(*) from consent_event where contact_id = ?", Long.class, UUID.fromString(id))).isPositive();
        assertThat(api.get("/api/ledger/verify", TestKeys.ADMIN).json().get("ok").asBoolean()).isTrue();
    }

    private void assertNoReadableEvidence(String id, String... addresses) {
        List<Map<String, Object>> rows = jdbc.queryForList("select ip, user_agent, note from consent_event where contact_id = ?",
                UUID.fromString(id));
        assertThat(rows).isNotEmpty();
        for (Map<String, Object> row : rows) {
            String raw = String.valueOf(row.get("ip")) + " " + row.get("user_agent") + " " + row.get("note");
            assertThat(raw).doesNotContain(FORM_IP, "127.0.0.1", FORM_AGENT, "consent-hub-test", "primary email changed", "@");
            for (String address : addresses) {
                assertThat(raw).doesNotContain(address);
            }
        }
    }

    private String contactIdOf(String address) {
        return jdbc.queryForObject("select id from contact where primary_email = ?", UUID.class, address).toString();
    }

    private static List<String> texts(JsonNode history, String field) {
        var values = new ArrayList<String>();
        history.forEach(entry -> {
            if (entry.hasNonNull(field)) {
                values.add(entry.get(field).asText());
            }
        });
        return values;
    }
}
