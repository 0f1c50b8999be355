package io.consenthub.erasure;

import io.consenthub.cluster.HubProcesses;
import io.consenthub.support.ApiClient;
import io.consenthub.support.MariaDbTestDatabase;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresMariaDb;
import io.consenthub.support.RequiresPostgres;
import io.consenthub.support.TestKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The erasure job survives a real crash: a hub process (PostgreSQL, a vtiger CRM on MariaDB) is
 * killed with SIGKILL right after its erasure job erased the contact in the CRM; a new process on
 * the same database finishes the job — partners, hub data, keys, record, proof — without erasing
 * in the CRM again (the CRM's own log of erase statements holds one run).
 */
@ExtendWith({RequiresPostgres.class, RequiresMariaDb.class})
class ErasureKilledMidWayTest {

    private static final String CRM_DB = "consent_hub_erasure_kill_crm";
    private static HubProcesses hubs;

    @AfterAll
    static void stop() throws Exception {
        if (hubs != null) {
            hubs.close();
        }
        MariaDbTestDatabase.drop(CRM_DB);
    }

    @Test
    void aJobKilledAfterItsCrmStepFinishesInTheNextProcessWithoutErasingInTheCrmAgain() throws Exception {
        String crmUrl = MariaDbTestDatabase.freshVtiger(CRM_DB);
        var crm = new JdbcTemplate(new DriverManagerDataSource(crmUrl, "root", ""));
        crm.execute("create table erase_log (id int auto_increment primary key, contactid int not null)");
        MariaDbTestDatabase.insertContact(crm, 7001, "Vera", "Virtanen", "vera.virtanen@kill.example", false,
                LocalDateTime.of(2026, 1, 1, 0, 0));
        Path vtiger = Path.of("target", "cluster-processes", "vtiger-erasure.yaml").toAbsolutePath();
        Files.createDirectories(vtiger.getParent());
        Files.copy(Path.of("config", "crm", "vtiger.yaml.example"), vtiger, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        hubs = new HubProcesses("consent_hub_erasure_kill", 5931, 1, Map.ofEntries(
                // one process: the embedded single-member Hazelcast, which leads on its own
                Map.entry("spring.profiles.active", "postgres"),
                Map.entry("spring.hazelcast.config", "file:" + Path.of("config", "hazelcast.yaml").toAbsolutePath()),
                Map.entry("spring.config.additional-location", "file:" + vtiger),
                Map.entry("VTIGER_DB_URL", crmUrl),
                Map.entry("VTIGER_DB_USER", "root"),
                Map.entry("VTIGER_DB_PASSWORD", ""),
                Map.entry("VTIGER_POLL_PERIOD", "1s"),
                Map.entry("consent-hub.crm.connectors.vtiger.erase.statements[0]",
                        "update vtiger_contactdetails set firstname = null, lastname = '(erased)', email = null where contactid = :externalId"),
                Map.entry("consent-hub.crm.connectors.vtiger.erase.statements[1]", "insert into erase_log (contactid) values (:externalId)"),
                // one step a tick, ticks far apart: the kill lands between the CRM step and the next
                Map.entry("consent-hub.erasure.period", "3000")));
        var hub = new JdbcTemplate(new DriverManagerDataSource(PostgresTestDatabase.freshSchema("consent_hub_erasure_kill"),
                "postgres", ""));
        HubProcesses.Node first = hubs.start();
        await().atMost(Duration.ofSeconds(60)).until(() ->
                hub.queryForObject("select count(*) from crm_link where connector_id = 'vtiger' and external_id = '7001'", Long.class) == 1);
        UUID vera = hub.queryForObject("select contact_id from crm_link where connector_id = 'vtiger' and external_id = '7001'", UUID.class);

        var started = new ApiClient(first.port()).post("/api/contacts/" + vera + "/erasure", TestKeys.ADMIN,
                ApiClient.json(Map.of("reason", "request by letter, case 2026-301")));
        assertThat(started.status()).as(started.text()).isEqualTo(202);
        String job = started.json().get("jobId").asText();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> hub.queryForObject(
                "select count(*) from erasure_step where job_id = ? and step = 'CRM' and item = 'vtiger'", Long.class, UUID.fromString(job)) == 1);
        hubs.kill(first);

        assertThat(crm.queryForObject("select count(*) from erase_log where contactid = 7001", Long.class)).isEqualTo(1);
        assertThat(hub.queryForObject("select state from erasure_job where id = ?", String.class, UUID.fromString(job)))
                .as("killed half-way").isNotEqualTo("DONE");
        HubProcesses.Node second = hubs.start();
        var api = new ApiClient(second.port());
        await().atMost(Duration.ofSeconds(90)).until(() ->
                "DONE".equals(api.get("/api/erasure-requests/" + job, TestKeys.ADMIN).json().get("state").asText()));

        var progress = api.get("/api/erasure-requests/" + job, TestKeys.ADMIN).json();
        assertThat(progress.get("certificate").get("scan").get("clean").asBoolean()).as(progress.toString()).isTrue();
        assertThat(progress.get("certificate").get("ledgerVerifies").asBoolean()).isTrue();
        assertThat(crm.queryForObject("select count(*) from erase_log where contactid = 7001", Long.class))
                .as("the CRM's erase statements ran once, before the kill").isEqualTo(1);
        assertThat(crm.queryForObject("select email from vtiger_contactdetails where contactid = 7001", String.class)).isNull();
        assertThat(hub.queryForObject("select count(*) from erasure_step where job_id = ? and step = 'CRM' and item = 'vtiger'",
                Long.class, UUID.fromString(job))).isEqualTo(1);
    }
}
