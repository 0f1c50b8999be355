package io.consenthub.fields;

import com.fasterxml.jackson.databind.JsonNode;
import io.consenthub.ConsentHubApplication;
import io.consenthub.support.ApiClient;
import io.consenthub.support.TestKeys;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import io.consenthub.crypto.KeysetTool;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rotating both keysets as the README says, over one store and three starts of the hub: values
 * written under the first keys; a new primary key added to the KEK and the index keyset (the
 * KeysetTool), the hub restarted, the kek, data-keys and index jobs run; then the old keys dropped
 * from both keysets and the hub restarted once more: every value still opens, every search still
 * matches, and the CRM-facing searches never needed the old index key.
 */
abstract class KeyRotationContract {

    /** The store's JDBC URL, user and password: one store for all three starts. */
    abstract String[] store();

    private final Path dir = Path.of("target", "rotation-" + UUID.randomUUID());

    private ConfigurableApplicationContext start() {
        String[] store = store();
        var args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.datasource.url=" + store[0],
                "--spring.datasource.username=" + store[1],
                "--spring.datasource.password=" + store[2],
                "--consent-hub.dev-mail.enabled=false",
                "--consent-hub.preferences.notify-enabled=false",
                "--consent-hub.email.inbound.enabled=false",
                "--consent-hub.email.smtp.port=" + Integer.getInteger("consenthub.test.smtp-port", 3941),
                "--consent-hub.crypto.kek=",
                "--consent-hub.signing.keyset-file=target/test-signing-keyset.json",
                "--consent-hub.crypto.key-store.url=",
                "--consent-hub.crypto.kek-file=" + dir.resolve("kek.json"),
                "--consent-hub.crypto.index-key-file=" + dir.resolve("index.json"),
                "--consent-hub.crypto.generate-kek=false",
                "--consent-hub.crypto.rotation-period=100",
                "--consent-hub.crm.connectors.demo-crm.enabled=false",
                "--consent-hub.api.dev-key-file=",
                "--consent-hub.api.keys[0].name=test-admin",
                "--consent-hub.api.keys[0].role=ADMIN",
                "--consent-hub.api.keys[0].key=" + TestKeys.ADMIN,
                "--consent-hub.api.keys[1].name=test-user",
                "--consent-hub.api.keys[1].role=USER",
                "--consent-hub.api.keys[1].key=" + TestKeys.USER,
                "--consent-hub.api.keys[2].name=test-billing",
                "--consent-hub.api.keys[2].role=USER",
                "--consent-hub.api.keys[2].key=" + TestKeys.BILLING,
                "--consent-hub.api.keys[2].reveal[0]=cardNumber"));
        args.addAll(extra);
        return new SpringApplicationBuilder(ConsentHubApplication.class).run(args.toArray(String[]::new));
    }

    private static ApiClient api(ConfigurableApplicationContext hub) {
        return new ApiClient(((WebServerApplicationContext) hub).getWebServer().getPort());
    }

    private static String tool(String... args) throws Exception {
        var out = new ByteArrayOutputStream();
        assertThat(KeysetTool.run(args, new PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8))).isZero();
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void rotatingBothKeysetsAndDroppingTheOldKeysLeavesEveryValueReadableAndFindable() throws Exception {
        Files.createDirectories(dir);
        tool("create", dir.resolve("kek.json").toString(), "kek");
        tool("create", dir.resolve("index.json").toString(), "index");
        var cards = new ArrayList<String>();
        var ids = new ArrayList<String>();

        try (var hub = start()) {
            var api = api(hub);
            var fixtures = hub.getBean(io.consenthub.support.ContactFixtures.class);
            for (int i = 0; i < 5; i++) {
                String card = "4000 0000 0000 " + (1000 + i);
                var created = api.post("/api/contacts", TestKeys.USER, ApiClient.json(Map.of("email", "rot-" + UUID.randomUUID() + "@example.org",
                        "attributes", Map.of("nationalId", "19800101-000" + i))));
                String id = created.json().get("id").asText();
                fixtures.answerAsContact(io.consenthub.contact.ContactId.parse(id), "store-card-number", true);
                api.patch("/api/contacts/" + id, TestKeys.USER, ApiClient.json(Map.of("attributes", Map.of("cardNumber", card))));
                cards.add(card);
                ids.add(id);
            }
        }

        assertThat(tool("add-key", dir.resolve("kek.json").toString())).contains("2 key(s)");
        assertThat(tool("add-key", dir.resolve("index.json").toString())).contains("2 key(s)");
        try (var hub = start()) {
            var api = api(hub);
            // during the rotation the old index key still finds every contact
            assertThat(found(api, "1003")).contains(ids.get(3));
            for (String kind : List.of("kek", "data-keys", "index")) {
                var started = api.post("/api/keys/rotations", TestKeys.ADMIN, "{\"kind\":\"" + kind + "\"}");
                assertThat(started.status()).as(started.text()).isEqualTo(202);
                String job = started.json().get("id").asText();
                await().atMost(Duration.ofSeconds(30)).until(() ->
                        "FINISHED".equals(api.get("/api/keys/rotations/" + job, TestKeys.ADMIN).json().get("state").asText()));
                JsonNode done = api.get("/api/keys/rotations/" + job, TestKeys.ADMIN).json();
                assertThat(done.get("failed").asLong()).isZero();
                assertThat(done.get("done").asLong()).isEqualTo(done.get("total").asLong()).isGreaterThanOrEqualTo(5);
            }
            assertThat(api.post("/api/keys/rotations", TestKeys.ADMIN, "{\"kind\":\"sideways\"}").status()).isEqualTo(400);
            var jdbc = hub.getBean(JdbcClient.class);
            assertThat(jdbc.sql("select count(distinct kek_id) from contact_key where wrapped_key is not null").query(Long.class).single())
                    .isEqualTo(1);
            assertThat(jdbc.sql("select min(data_key_version) from contact_key where wrapped_key is not null").query(Integer.class).single())
                    .isEqualTo(2);
        }

        assertThat(tool("drop-old-keys", dir.resolve("kek.json").toString())).contains("1 key(s)");
        assertThat(tool("drop-old-keys", dir.resolve("index.json").toString())).contains("1 key(s)");
        try (var hub = start()) {
            var api = api(hub);
            for (int i = 0; i < ids.size(); i++) {
                var revealed = api.post("/api/contacts/" + ids.get(i) + "/fields/cardNumber/reveal", TestKeys.BILLING,
                        "{\"reason\":\"after the rotation\"}");
                assertThat(revealed.status()).as(revealed.text()).isEqualTo(200);
                assertThat(revealed.json().get("value").asText()).isEqualTo(cards.get(i));
                assertThat(api.get("/api/contacts/" + ids.get(i), TestKeys.USER).json().get("attributes").get("nationalId").asText())
                        .isEqualTo("•••• 000" + i);
                assertThat(api.get("/api/contacts/" + ids.get(i) + "/history", TestKeys.ADMIN).status()).isEqualTo(200);
            }
            assertThat(found(api, "1003")).containsExactly(ids.get(3));
            assertThat(api.get("/api/ledger/verify", TestKeys.ADMIN).json().get("ok").asBoolean()).isTrue();
        }

        // A field once encrypted cannot leave config, nor be turned to plaintext: the start is refused.
        extra = List.of("--consent-hub.fields.sensitive[0].name=nationalId", "--consent-hub.fields.sensitive[0].mask=last-4",
                "--consent-hub.fields.sensitive[1].name=cardNumber", "--consent-hub.fields.sensitive[1].encrypted=false");
        org.assertj.core.api.Assertions.assertThatThrownBy(this::start).rootCause()
                .hasMessageContaining("'cardNumber' has been encrypted since it was first declared: turning its encryption off");
        extra = List.of("--consent-hub.fields.sensitive[0].name=nationalId", "--consent-hub.fields.sensitive[0].mask=last-4");
        org.assertj.core.api.Assertions.assertThatThrownBy(this::start).rootCause()
                .hasMessageContaining("'cardNumber' has been encrypted since it was first declared and is no longer in config/fields.yaml");
    }

    /**
     * The email declared sensitive on a store that holds it in plaintext: converted at the next
     * start (and a row left plain by an interrupted conversion at the start after), found through
     * the old and the new index key during an index rotation and through the new one after the old
     * key is dropped; turning the switch off again is refused at start-up.
     */
    @Test
    void anEmailTurnedSensitiveIsConvertedAtStartFoundThroughEveryIndexKeyAndCannotBeTurnedOffAgain() throws Exception {
        Files.createDirectories(dir);
        tool("create", dir.resolve("kek.json").toString(), "kek");
        tool("create", dir.resolve("index.json").toString(), "index");
        var emails = new ArrayList<String>();
        var ids = new ArrayList<String>();
        try (var hub = start()) {
            var api = api(hub);
            for (int i = 0; i < 3; i++) {
                String email = "Plain-" + i + "-" + UUID.randomUUID().toString().substring(0, 8) + "@Example.org";
                ids.add(api.post("/api/contacts", TestKeys.USER, ApiClient.json(Map.of("email", email))).json().get("id").asText());
                emails.add(email);
            }
            assertThat(rawEmails(hub)).anySatisfy(v -> assertThat(v).contains("@"));
        }

        extra = List.of("--consent-hub.fields.email.sensitive=true");
        try (var hub = start()) {
            assertThat(rawEmails(hub)).noneSatisfy(v -> assertThat(v).contains("@"));
            assertEveryEmailReadableAndTaken(api(hub), ids, emails);
            // a row an interrupted conversion left in plaintext: matched meanwhile, converted at the next start
            hub.getBean(JdbcClient.class).sql("update contact set primary_email = ?, email_key = ? where id = ?")
                    .params(emails.get(1), emails.get(1).toLowerCase(java.util.Locale.ROOT), UUID.fromString(ids.get(1))).update();
            assertThat(api(hub).post("/api/contacts", TestKeys.USER, ApiClient.json(Map.of("email", emails.get(1).toUpperCase()))).status())
                    .isEqualTo(409);
        }

        assertThat(tool("add-key", dir.resolve("index.json").toString())).contains("2 key(s)");
        try (var hub = start()) {
            assertThat(rawEmails(hub)).noneSatisfy(v -> assertThat(v).contains("@"));
            var api = api(hub);
            assertEveryEmailReadableAndTaken(api, ids, emails);
            var started = api.post("/api/keys/rotations", TestKeys.ADMIN, "{\"kind\":\"index\"}");
            String job = started.json().get("id").asText();
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    "FINISHED".equals(api.get("/api/keys/rotations/" + job, TestKeys.ADMIN).json().get("state").asText()));
            assertThat(api.get("/api/keys/rotations/" + job, TestKeys.ADMIN).json().get("failed").asLong()).isZero();
            assertThat(hub.getBean(JdbcClient.class).sql("select count(distinct substring(email_key, 1, position(':' in email_key))) from contact")
                    .query(Long.class).single()).as("every email's blind index under the new primary key").isEqualTo(1);
        }

        assertThat(tool("drop-old-keys", dir.resolve("index.json").toString())).contains("1 key(s)");
        try (var hub = start()) {
            assertEveryEmailReadableAndTaken(api(hub), ids, emails);
        }

        extra = List.of("--consent-hub.fields.email.sensitive=false");
        org.assertj.core.api.Assertions.assertThatThrownBy(this::start).rootCause()
                .hasMessageContaining("the primary email has been stored encrypted since consent-hub.fields.email.sensitive was turned on");
        extra = List.of();
        org.assertj.core.api.Assertions.assertThatThrownBy(this::start).rootCause()
                .hasMessageContaining("the primary email has been stored encrypted");
    }

    private static List<String> rawEmails(ConfigurableApplicationContext hub) {
        return hub.getBean(JdbcClient.class).sql("select primary_email, email_key from contact")
                .query((rs, n) -> rs.getString(1) + " " + rs.getString(2)).list();
    }

    private static void assertEveryEmailReadableAndTaken(ApiClient api, List<String> ids, List<String> emails) {
        for (int i = 0; i < ids.size(); i++) {
            assertThat(api.get("/api/contacts/" + ids.get(i), TestKeys.USER).json().get("email").asText()).isEqualTo(emails.get(i));
            var again = api.post("/api/contacts", TestKeys.USER, ApiClient.json(Map.of("email", emails.get(i).toLowerCase(java.util.Locale.ROOT))));
            assertThat(again.status()).as(again.text()).isEqualTo(409);
            assertThat(again.text()).contains(ids.get(i));
        }
    }

    private List<String> extra = List.of();

    private static List<String> found(ApiClient api, String exposed) {
        var ids = new ArrayList<String>();
        api.get("/api/contacts?size=500&field.cardNumber=" + exposed, TestKeys.USER).json().get("items")
                .forEach(c -> ids.add(c.get("id").asText()));
        return ids;
    }
}
