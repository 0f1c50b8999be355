package io.consenthub.fields;

import com.fasterxml.jackson.databind.JsonNode;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.CrmLink;
import io.consenthub.crm.CrmSyncLog;
import io.consenthub.crypto.ContactKeys;
import io.consenthub.support.ApiClient;
import io.consenthub.support.TestKeys;
import io.consenthub.support.TestMailServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The primary email as a sensitive field ({@code consent-hub.fields.email.sensitive: true}), end to
 * end on a running hub: one person pushed by one CRM, synced from another, created, imported and
 * submitting a web form in other capitals is one contact; a change of email to another contact's
 * address is refused however it is spelt; mail reaches the address; and the raw bytes of the
 * contact table, and of every other table, hold no address. Run on H2 and PostgreSQL.
 */
abstract class SensitiveEmailContract {

    /** The hub's own mailbox on the test mail server, read over IMAP: its own, so no other test reads it. */
    static final String HUB_MAILBOX = "sealed-hub@consent-hub.local";

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    DataSource dataSource;
    @Autowired
    ContactDirectory contacts;
    @Autowired
    CrmSyncLog syncLog;
    @Autowired
    ContactKeys keys;
    @Autowired
    TransactionTemplate tx;
    @Value("${consent-hub.crm.connectors.demo-crm.jdbc.url}")
    String demoCrmUrl;

    ApiClient api;

    @BeforeEach
    void client() {
        api = new ApiClient(port);
        TestMailServer.get();
    }

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    private int crmRecords = 0;

    /** A record in the demo CRM (vtiger tables), modified after the connector's watermark so the next poll reads it. */
    private String crmRecord(String email) {
        await().atMost(Duration.ofSeconds(30)).until(() -> syncLog.status("demo-crm").isPresent());
        var crm = new JdbcTemplate(new DriverManagerDataSource(demoCrmUrl, "sa", ""));
        int id = 90_000 + (int) (Math.random() * 9_000_000) + crmRecords++;
        Timestamp modified = Timestamp.valueOf(syncLog.status("demo-crm").orElseThrow().watermark().plusSeconds(5));
        crm.update("insert into vtiger_crmentity (crmid, setype, createdtime, modifiedtime, deleted, label) values (?, 'Contacts', ?, ?, 0, 'x')",
                id, modified, modified);
        crm.update("insert into vtiger_contactdetails (contactid, contact_no, firstname, lastname, email, emailoptout) values (?, ?, 'Ada', 'Byron', ?, '0')",
                id, "CON" + id, email);
        return String.valueOf(id);
    }

    private JsonNode push(String externalId, String email) {
        var push = api.post("/api/crm/shop-crm/contacts", TestKeys.CRM, ApiClient.json(Map.of("contacts", List.of(
                new LinkedHashMap<>(Map.of("externalId", externalId, "email", email, "modified", "2026-11-01T10:00:00Z",
                        "attributes", Map.of("firstName", "Ada")))))));
        assertThat(push.status()).as(push.text()).isEqualTo(200);
        return push.json();
    }

    private String create(String email) {
        var created = api.post("/api/contacts", TestKeys.USER, ApiClient.json(Map.of("email", email)));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.json().get("id").asText();
    }

    @Test
    void onePersonFromTwoCrmsAndEveryIntakeInOtherCapitalsIsOneContact() {
        String local = "ada.lovelace-" + unique();
        String pushedAs = "Ada.Lovelace-" + local.substring(13) + "@Example.ORG";
        push("p-" + local, pushedAs);
        ContactId id = contacts.findByLink(new CrmLink("shop-crm", "p-" + local)).orElseThrow();

        String crmId = crmRecord(local.toUpperCase(Locale.ROOT) + "@example.org");
        await().atMost(Duration.ofSeconds(30)).until(() -> contacts.findByLink(new CrmLink("demo-crm", crmId)).isPresent());
        assertThat(contacts.findByLink(new CrmLink("demo-crm", crmId))).contains(id);

        var again = api.post("/api/contacts", TestKeys.USER, ApiClient.json(Map.of("email", local + "@EXAMPLE.org")));
        assertThat(again.status()).as(again.text()).isEqualTo(409);
        assertThat(again.text()).contains(id.toString()).doesNotContainIgnoringCase(local);

        var imported = api.post("/api/contacts/import", TestKeys.USER, ApiClient.json(Map.of("contacts", List.of(
                Map.of("email", local.toUpperCase(Locale.ROOT) + "@Example.Org", "attributes", Map.of("firstName", "Augusta"))))));
        assertThat(imported.status()).as(imported.text()).isEqualTo(200);
        assertThat(imported.json().get("created").asInt()).isZero();
        assertThat(imported.json().get("updated").asInt()).isEqualTo(1);

        var form = api.post("/api/webforms/submissions", TestKeys.WEBFORM, ApiClient.json(Map.of("formId", "signup",
                "email", " " + local + "@example.ORG", "marketingOptIn", true, "ip", "203.0.113.7", "userAgent", "test")));
        assertThat(form.status()).as(form.text()).isEqualTo(202);
        // a known contact's web form asks for confirmation by mail: to the address on record
        await().atMost(Duration.ofSeconds(20)).until(() -> !TestMailServer.receivedBy(local + "@example.org").isEmpty());

        JsonNode contact = api.get("/api/contacts/" + id, TestKeys.USER).json();
        assertThat(contact.get("email").asText()).isEqualTo(pushedAs);
        assertThat(contact.get("attributes").get("firstName").asText()).isEqualTo("Augusta");
        assertThat(contact.get("crmLinks").findValuesAsText("connectorId")).containsExactlyInAnyOrder("shop-crm", "demo-crm");
        assertThat(jdbc.sql("select count(*) from contact").query(Long.class).single())
                .isEqualTo(jdbc.sql("select count(distinct email_key) from contact").query(Long.class).single());
    }

    @Test
    void aChangeOfEmailToAnotherContactsAddressInOtherCapitalsIsRefused() {
        String taken = "taken-" + unique() + "@example.org";
        String other = create(taken);
        String mover = create("mover-" + unique() + "@example.org");

        var refused = api.patch("/api/contacts/" + mover, TestKeys.USER, ApiClient.json(Map.of("email", taken.toUpperCase(Locale.ROOT))));
        assertThat(refused.status()).as(refused.text()).isEqualTo(409);
        assertThat(refused.text()).contains(other);

        String fresh = "Moved-" + unique() + "@example.org";
        var moved = api.patch("/api/contacts/" + mover, TestKeys.USER, ApiClient.json(Map.of("email", fresh)));
        assertThat(moved.status()).as(moved.text()).isEqualTo(200);
        assertThat(api.get("/api/contacts/" + mover, TestKeys.USER).json().get("email").asText()).isEqualTo(fresh);
        assertThat(api.post("/api/contacts", TestKeys.USER, ApiClient.json(Map.of("email", fresh.toLowerCase(Locale.ROOT)))).status())
                .isEqualTo(409);
    }

    @Test
    void anImportBatchAndASyncBatchMatchStoredContactsThroughTheBlindIndex() {
        String batch = unique();
        var rows = new ArrayList<Map<String, Object>>();
        for (int i = 0; i < 5; i++) {
            rows.add(Map.of("email", "Batch-" + batch + "-" + i + "@Example.org"));
        }
        var first = api.post("/api/contacts/import", TestKeys.USER, ApiClient.json(Map.of("contacts", rows)));
        assertThat(first.json().get("created").asInt()).as(first.text()).isEqualTo(5);
        var lower = rows.stream().map(r -> Map.<String, Object>of("email", r.get("email").toString().toLowerCase(Locale.ROOT))).toList();
        var second = api.post("/api/contacts/import", TestKeys.USER, ApiClient.json(Map.of("contacts", lower)));
        assertThat(second.json().get("created").asInt()).as(second.text()).isZero();

        var crmIds = new ArrayList<String>();
        for (int i = 0; i < 5; i++) {
            crmIds.add(crmRecord("BATCH-" + batch.toUpperCase(Locale.ROOT) + "-" + i + "@EXAMPLE.ORG"));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> crmIds.stream()
                .allMatch(c -> contacts.findByLink(new CrmLink("demo-crm", c)).isPresent()));
        for (int i = 0; i < 5; i++) {
            ContactId imported = contacts.findByEmail(new io.consenthub.contact.EmailAddress("batch-" + batch + "-" + i + "@example.org"))
                    .orElseThrow();
            assertThat(contacts.findByLink(new CrmLink("demo-crm", crmIds.get(i)))).contains(imported);
        }
    }

    @Test
    void mailIsDeliveredToTheAddressTheContactTableHoldsOnlyEncrypted() {
        String address = "Mail-" + unique() + "@example.org";
        String id = create(address);

        var sent = api.post("/api/emails", TestKeys.USER, ApiClient.json(Map.of(
                "contactId", id, "kind", "AD_HOC", "subject", "Hello", "text", "Hi")));
        assertThat(sent.status()).as(sent.text()).isEqualTo(202);
        String messageId = sent.json().get("messageId").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> "DELIVERED".equals(
                jdbc.sql("select status from outbox where message_id = ?").param(messageId).query(String.class).single()));

        assertThat(TestMailServer.receivedBy(address)).hasSize(1);
        var row = jdbc.sql("select primary_email, email_key from contact where id = ?").param(UUID.fromString(id))
                .query((rs, n) -> List.of(rs.getString(1), rs.getString(2))).single();
        assertThat(row).allSatisfy(v -> assertThat(v).doesNotContain("@").doesNotContainIgnoringCase("mail-"));
        assertThat(row.get(1)).matches("\\d+:[0-9a-f]{32}");
    }

    @Test
    void anEmailCiphertextMovedToAnotherContactDoesNotOpenAndAShreddedContactReadsAsErased() {
        String a = create("moved-a-" + unique() + "@example.org");
        String b = create("moved-b-" + unique() + "@example.org");

        tx.executeWithoutResult(s -> jdbc.sql("update contact set primary_email = (select c.primary_email from contact c where c.id = ?) where id = ?")
                .params(UUID.fromString(a), UUID.fromString(b)).update());
        assertThat(api.get("/api/contacts/" + b, TestKeys.USER).json().get("email").asText()).isEqualTo("erased." + b + "@erased.invalid");

        tx.executeWithoutResult(s -> keys.destroy(new ContactId(UUID.fromString(a))));
        assertThat(api.get("/api/contacts/" + a, TestKeys.USER).json().get("email").asText()).isEqualTo("erased." + a + "@erased.invalid");
    }

    @Test
    void noTableHoldsAnAddressAfterAPushASyncACreateAnImportAWebFormAChangeOfEmailAndMailBothWays() {
        String tag = unique();
        var addresses = List.of("push-" + tag, "sync-" + tag, "create-" + tag, "import-" + tag, "form-" + tag, "moved-" + tag);
        push("dump-" + tag, "Push-" + tag + "@example.org");
        String crmId = crmRecord("sync-" + tag + "@example.org");
        String created = create("create-" + tag + "@example.org");
        api.post("/api/contacts/import", TestKeys.USER, ApiClient.json(Map.of("contacts", List.of(Map.of("email", "import-" + tag + "@example.org")))));
        api.post("/api/webforms/submissions", TestKeys.WEBFORM, ApiClient.json(Map.of("formId", "signup",
                "email", "form-" + tag + "@example.org", "marketingOptIn", true, "ip", "203.0.113.9", "userAgent", "test")));
        api.post("/api/webforms/submissions", TestKeys.WEBFORM, ApiClient.json(Map.of("formId", "signup",
                "email", "create-" + tag + "@example.org", "marketingOptIn", true, "ip", "203.0.113.9", "userAgent", "test")));
        api.patch("/api/contacts/" + created, TestKeys.USER, ApiClient.json(Map.of("email", "moved-" + tag + "@example.org")));
        await().atMost(Duration.ofSeconds(30)).until(() -> contacts.findByLink(new CrmLink("demo-crm", crmId)).isPresent());
        await().atMost(Duration.ofSeconds(20)).until(() -> !TestMailServer.receivedBy("form-" + tag + "@example.org").isEmpty());
        ContactId sender = contacts.findByEmail(new io.consenthub.contact.EmailAddress("FORM-" + tag + "@example.org")).orElseThrow();
        mailToTheHub("Form-" + tag + " Person <form-" + tag + "@example.org>");
        // the conversation is proven by the contact id; the sender column holds no name and no address
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql("select count(*) from inbound_mail where contact_id = ?")
                .param(sender.value()).query(Long.class).single() == 1);

        assertThat(tablesHolding(addresses)).isEmpty();
    }

    /** A mail from {@code from} to the hub's mailbox, through the test mail server's SMTP. */
    private static void mailToTheHub(String from) {
        var props = new java.util.Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(TestMailServer.SMTP_PORT));
        try {
            var mail = new jakarta.mail.internet.MimeMessage(jakarta.mail.Session.getInstance(props));
            mail.setFrom(new jakarta.mail.internet.InternetAddress(from));
            mail.setRecipient(jakarta.mail.Message.RecipientType.TO, new jakarta.mail.internet.InternetAddress(HUB_MAILBOX));
            mail.setSubject("A question");
            mail.setText("About my order");
            jakarta.mail.Transport.send(mail);
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The tables of the hub's schema with a value (as text, any case) containing one of {@code secrets}. */
    List<String> tablesHolding(List<String> secrets) {
        var found = new ArrayList<String>();
        try (Connection c = dataSource.getConnection()) {
            var tables = new ArrayList<String>();
            try (ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            assertThat(tables).contains("contact", "outbox", "inbound_mail", "preference_change");
            for (String table : tables) {
                try (ResultSet rs = c.createStatement().executeQuery("select * from \"" + table + "\"")) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            Object value = rs.getObject(i);
                            String text = value instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                                    : value == null ? "" : value.toString();
                            for (String secret : secrets) {
                                if (text.toLowerCase(Locale.ROOT).contains(secret.toLowerCase(Locale.ROOT))) {
                                    found.add(table + "." + rs.getMetaData().getColumnName(i));
                                }
                            }
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return found.stream().distinct().toList();
    }
}
