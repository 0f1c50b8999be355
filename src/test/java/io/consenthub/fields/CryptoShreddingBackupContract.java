package io.consenthub.fields;

import io.consenthub.ConsentHubApplication;
import io.consenthub.contact.ContactId;
import io.consenthub.crypto.ContactKeys;
import io.consenthub.support.ApiClient;
import io.consenthub.support.ContactFixtures;
import io.consenthub.support.TestKeys;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crypto-shredding reaches a backup taken before the key was destroyed: the contact keys live in
 * a key store of their own, so a backup of the hub's database holds ciphertext and no key. Over
 * real hub starts: keys that sat in the hub's database move to the key store at start-up; a dump
 * of the hub's database is taken; a contact's key is destroyed; the dump is restored and the hub
 * started on it with the key store: that contact's values, evidence and reveal are gone, the
 * other contact's are all there, and the ledger verifies.
 */
abstract class CryptoShreddingBackupContract {

    /** The hub's database: URL, user, password. */
    abstract String[] hubStore();

    /** The key store: URL, user, password. */
    abstract String[] keyStore();

    /** Dumps the hub's database (everything: schema and rows) as its backup tool does. */
    abstract Object backup(JdbcClient hubDatabase) throws Exception;

    /** Restores the backup into a fresh database; answers its URL, user, password. */
    abstract String[] restore(Object backup) throws Exception;

    private ConfigurableApplicationContext start(String[] hub, String[] keys) {
        var args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.datasource.url=" + hub[0], "--spring.datasource.username=" + hub[1], "--spring.datasource.password=" + hub[2],
                "--consent-hub.crypto.key-store.url=" + (keys == null ? "" : keys[0]),
                "--consent-hub.crypto.key-store.username=" + (keys == null ? "" : keys[1]),
                "--consent-hub.crypto.key-store.password=" + (keys == null ? "" : keys[2]),
                "--consent-hub.dev-mail.enabled=false",
                "--consent-hub.preferences.notify-enabled=false",
                "--consent-hub.email.inbound.enabled=false",
                "--consent-hub.email.smtp.port=" + Integer.getInteger("consenthub.test.smtp-port", 3941),
                "--consent-hub.crypto.kek=",
                "--consent-hub.crypto.kek-file=target/test-kek.json",
                "--consent-hub.crypto.generate-kek=true",
                "--consent-hub.crm.connectors.demo-crm.enabled=false",
                "--consent-hub.api.dev-key-file=",
                "--consent-hub.api.keys[0].name=test-admin", "--consent-hub.api.keys[0].role=ADMIN",
                "--consent-hub.api.keys[0].key=" + TestKeys.ADMIN,
                "--consent-hub.api.keys[1].name=test-user", "--consent-hub.api.keys[1].role=USER",
                "--consent-hub.api.keys[1].key=" + TestKeys.USER,
                "--consent-hub.api.keys[2].name=test-billing", "--consent-hub.api.keys[2].role=USER",
                "--consent-hub.api.keys[2].key=" + TestKeys.BILLING, "--consent-hub.api.keys[2].reveal[0]=cardNumber"));
        return new SpringApplicationBuilder(ConsentHubApplication.class).run(args.toArray(String[]::new));
    }

    private static ApiClient api(ConfigurableApplicationContext hub) {
        return new ApiClient(((WebServerApplicationContext) hub).getWebServer().getPort());
    }

    private static String contact(ConfigurableApplicationContext hub, String nationalId, String card) {
        var api = api(hub);
        var created = api.post("/api/contacts", TestKeys.USER, ApiClient.json(Map.of("email", "b-" + UUID.randomUUID() + "@example.org",
                "attributes", Map.of("nationalId", nationalId), "note", "called in")));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String id = created.json().get("id").asText();
        hub.getBean(ContactFixtures.class).answerAsContact(ContactId.parse(id), "store-card-number", true);
        assertThat(api.patch("/api/contacts/" + id, TestKeys.USER, ApiClient.json(Map.of("attributes", Map.of("cardNumber", card))))
                .status()).isEqualTo(200);
        return id;
    }

    @Test
    void aContactShreddedAfterABackupIsUnreadableInThatBackupAndTheOthersAreWhole() throws Exception {
        String[] hubStore = hubStore();
        String[] keyStore = keyStore();
        String kept;
        String shredded;
        try (var hub = start(hubStore, null)) {
            kept = contact(hub, "19700101-1111", "4111 1111 1111 1111");
        }
        Object backup;
        try (var hub = start(hubStore, keyStore)) {
            var hubDatabase = hub.getBean(JdbcClient.class);
            assertThat(hubDatabase.sql("select count(*) from contact_key").query(Long.class).single())
                    .as("the keys moved out of the hub's database").isZero();
            assertThat(api(hub).get("/api/contacts/" + kept, TestKeys.USER).json().get("attributes").get("cardNumber").asText())
                    .isEqualTo("•••• 1111");
            shredded = contact(hub, "19800202-2222", "5555 5555 5555 4444");
            assertThat(hubDatabase.sql("select count(*) from contact_key").query(Long.class).single()).isZero();
            backup = backup(hubDatabase);
            var tx = hub.getBean(TransactionTemplate.class);
            tx.executeWithoutResult(s -> hub.getBean(ContactKeys.class).destroy(ContactId.parse(shredded)));
        }

        try (var hub = start(restore(backup), keyStore)) {
            var api = api(hub);
            var gone = api.get("/api/contacts/" + shredded, TestKeys.USER).json();
            assertThat(gone.get("attributes").has("cardNumber")).isFalse();
            assertThat(gone.get("attributes").has("nationalId")).isFalse();
            assertThat(api.post("/api/contacts/" + shredded + "/fields/cardNumber/reveal", TestKeys.BILLING, "{\"reason\":\"restored\"}")
                    .status()).isEqualTo(404);
            var history = gone.get("history");
            assertThat(history).isNotEmpty().allSatisfy(e -> {
                assertThat(e.has("note")).isFalse();
                assertThat(e.get("evidenceErased").asBoolean()).isTrue();
            });
            var whole = api.post("/api/contacts/" + kept + "/fields/cardNumber/reveal", TestKeys.BILLING, "{\"reason\":\"restored\"}");
            assertThat(whole.json().get("value").asText()).isEqualTo("4111 1111 1111 1111");
            assertThat(api.get("/api/ledger/verify", TestKeys.ADMIN).json().get("ok").asBoolean()).isTrue();
        }
    }
}
