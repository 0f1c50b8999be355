package io.consenthub.erasure;

import com.fasterxml.jackson.databind.JsonNode;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.EmailAddress;
import io.consenthub.support.CapturedLog;
import io.consenthub.support.HubTest;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Erasure on PostgreSQL, and its proof as an outsider would check it: after the job, a
 * {@code pg_dump} of the hub's schema and the hub's own log file hold nothing of the person.
 */
@ExtendWith(RequiresPostgres.class)
@HubTest
@TestPropertySource(properties = {
        "consent-hub.crm.connectors.demo-crm.enabled=true",
        "consent-hub.crm.connectors.demo-crm.poll-period=1h",
        "consent-hub.crm.connectors.demo-crm.jdbc.url=" + ErasureOnPostgresTest.CRM_URL,
        "consent-hub.erasure.period=200",
        "consent-hub.erasure.grace-period=P30D",
        "consent-hub.email.inbound.enabled=true",
        "consent-hub.email.inbound.poll-period=200",
        "consent-hub.email.inbound.username=" + ErasureOnPostgresTest.MAILBOX,
        "consent-hub.erasure.log-files[0]=" + ErasureOnPostgresTest.LOG
})
class ErasureOnPostgresTest extends ErasureContract {

    static final String CRM_URL = "jdbc:h2:mem:erasure-crm-pg;DB_CLOSE_DELAY=-1;MODE=MySQL;DATABASE_TO_LOWER=TRUE";
    static final String LOG = "target/erasure-on-postgres.log";
    static final String SCHEMA = "consent_hub_erasure_test";
    static final String ERIK = "erik.ek@example.com";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, SCHEMA);
    }

    private static CapturedLog log;

    /** Once the hub has started (its start sets logging up): from then on everything logged is in {@link #LOG}. */
    @BeforeEach
    void captureTheLog() {
        if (log == null) {
            log = new CapturedLog(Path.of(LOG));
        }
    }

    @AfterAll
    static void stopCapturing() {
        if (log != null) {
            log.close();
            log = null;
        }
    }

    static final String MAILBOX = "erasure-pg@consent-hub.local";

    @Override
    String mailbox() {
        return MAILBOX;
    }

    @Override
    String crmUrl() {
        return CRM_URL;
    }

    @Test
    void aDumpOfTheDatabaseAndTheHubsLogHoldNothingOfAnErasedPerson() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> contacts.findByEmail(new EmailAddress(ERIK)).isPresent());
        ContactId erik = contacts.findByEmail(new EmailAddress(ERIK)).orElseThrow();
        assertThat(dump()).as("the dump finds him before").contains(ERIK).contains(erik.value().toString());

        JsonNode certificate = eraseAndAwaitCertificate(erik).get("certificate");

        assertThat(certificate.get("scan").get("clean").asBoolean()).as(certificate.toString()).isTrue();
        assertThat(certificate.get("scan").get("logFiles").toString()).contains("erasure-on-postgres.log");
        String dump = dump();
        assertThat(dump).doesNotContainIgnoringCase(ERIK).doesNotContain("555 1004").doesNotContain("5551004")
                .doesNotContain("19850715-1735").doesNotContain("Erik");
        String logged = Files.readString(Path.of(LOG), StandardCharsets.UTF_8);
        assertThat(logged).as("the hub logged its work").contains("erasure job");
        assertThat(logged).doesNotContainIgnoringCase(ERIK).doesNotContain("555 1004").doesNotContain("19850715-1735");
    }

    /** The hub's schema as pg_dump writes it: every table, every row. */
    private static String dump() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("pg_dump", "-h", "127.0.0.1", "-U", "postgres", "--no-owner",
                "-n", PostgresTestDatabase.schema(SCHEMA), "test").redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(new String(out, StandardCharsets.UTF_8)).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }
}
