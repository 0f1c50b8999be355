package io.consenthub.erasure;

import com.fasterxml.jackson.databind.JsonNode;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.EmailAddress;
import io.consenthub.support.ApiClient;
import io.consenthub.support.HubTest;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import io.consenthub.support.TestKeys;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * An erasure stopped half-way goes on where it stopped. The job's route is off here, so the test
 * runs the first steps itself, as a hub killed right after its CRM step would have: the CRM
 * step first fails (its CRM refuses the statement) and is retried, then succeeds; then the route
 * starts as on the restarted hub and finishes the job — without running the CRM's erase
 * statements a second time (the CRM counts them).
 */
@ExtendWith(RequiresPostgres.class)
@HubTest
@TestPropertySource(properties = {
        "consent-hub.crm.connectors.demo-crm.enabled=true",
        "consent-hub.crm.connectors.demo-crm.poll-period=1h",
        "consent-hub.crm.connectors.demo-crm.jdbc.url=" + ErasureResumesOnPostgresTest.CRM_URL,
        "consent-hub.crm.connectors.demo-crm.erase.statements[0]=update vtiger_contactdetails set firstname = null,"
                + " lastname = '(erased)', email = null, phone = null where contactid = :externalId",
        "consent-hub.crm.connectors.demo-crm.erase.statements[1]=update erase_calls set calls = calls + 1, last_record = :externalId",
        "consent-hub.erasure.jobs-enabled=false",
        "consent-hub.erasure.period=200"
})
class ErasureResumesOnPostgresTest {

    static final String CRM_URL = "jdbc:h2:mem:erasure-resume-crm;DB_CLOSE_DELAY=-1;MODE=MySQL;DATABASE_TO_LOWER=TRUE";
    static final String FRIDA = "frida.fors@example.com";

    @LocalServerPort
    int port;
    @Autowired
    ContactDirectory contacts;
    @Autowired
    ErasureJobs jobs;
    @Autowired
    CamelContext camel;
    @Autowired
    JdbcTemplate hub;

    JdbcTemplate crm = new JdbcTemplate(new DriverManagerDataSource(CRM_URL, "sa", ""));

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, "consent_hub_erasure_resume_test");
    }

    @Test
    void anErasureStoppedAfterItsCrmStepFinishesOnRestartWithoutErasingInTheCrmAgain() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> contacts.findByEmail(new EmailAddress(FRIDA)).isPresent());
        ContactId frida = contacts.findByEmail(new EmailAddress(FRIDA)).orElseThrow();
        var api = new ApiClient(port);
        var started = api.post("/api/contacts/" + frida.value() + "/erasure", TestKeys.ADMIN,
                ApiClient.json(Map.of("reason", "request by email, ticket 4411")));
        assertThat(started.status()).isEqualTo(202);
        UUID job = UUID.fromString(started.json().get("jobId").asText());
        assertThat(jobs.nextStep(job)).isEqualTo("SUPPRESS");

        jobs.suppress(job);
        // the CRM refuses the erase statements (its counter table is missing): the step fails, is kept, nothing advances
        assertThatThrownBy(() -> jobs.eraseInCrms(job)).isInstanceOf(RuntimeException.class);
        jobs.failed(job, new IllegalStateException("the CRM refused the erase statements"));
        JsonNode failed = progress(api, job);
        assertThat(failed.get("nextStep").asText()).isEqualTo("CRM");
        assertThat(failed.get("attempts").asInt()).isEqualTo(1);
        assertThat(failed.get("lastError").asText()).contains("refused the erase statements");
        // the CRM is fixed; the retry erases there, and then the hub is killed
        crm.execute("create table erase_calls (calls int not null, last_record varchar(32))");
        crm.update("insert into erase_calls (calls) values (0)");
        jobs.eraseInCrms(job);
        assertThat(crm.queryForObject("select calls from erase_calls", Integer.class)).isEqualTo(1);
        assertThat(jobs.nextStep(job)).isEqualTo("PARTNERS");

        // the restarted hub's job route takes the job over from the store
        camel.getRouteController().startRoute("erasure-jobs");
        await().atMost(Duration.ofSeconds(60)).until(() -> "DONE".equals(progress(api, job).get("state").asText()));

        JsonNode done = progress(api, job);
        assertThat(crm.queryForObject("select calls from erase_calls", Integer.class)).as("the CRM step ran once").isEqualTo(1);
        assertThat(done.get("steps").findValuesAsText("step").stream().filter("SUPPRESS"::equals)).hasSize(1);
        assertThat(done.get("steps").findValuesAsText("item").stream().filter("demo-crm"::equals)).hasSize(1);
        assertThat(done.get("certificate").get("scan").get("clean").asBoolean()).as(done.toString()).isTrue();
        assertThat(crm.queryForObject("select email from vtiger_contactdetails where contactid = 106", String.class)).isNull();
        assertThat(hub.queryForObject("select count(*) from erasure_step where job_id = ?", Long.class, job))
                .isEqualTo(done.get("steps").size());
    }

    private static JsonNode progress(ApiClient api, UUID job) {
        return api.get("/api/erasure-requests/" + job, TestKeys.ADMIN).json();
    }
}
