package io.consenthub.crm;

import io.consenthub.support.HubTest;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/** {@link JdbcCrmSyncRowsTest} with the hub on PostgreSQL (where a NUL byte cannot be stored). */
@ExtendWith(RequiresPostgres.class)
@HubTest
@TestPropertySource(properties = {
        "consent-hub.crm.connectors.demo-crm.enabled=true",
        "consent-hub.crm.connectors.demo-crm.poll-period=1h",
        "consent-hub.crm.connectors.demo-crm.jdbc.url=" + JdbcCrmSyncRowsOnPostgresTest.CRM_URL
})
class JdbcCrmSyncRowsOnPostgresTest extends JdbcCrmSyncRowsTest {

    static final String CRM_URL = "jdbc:h2:mem:crm-rows-pg-crm;DB_CLOSE_DELAY=-1;MODE=MySQL;DATABASE_TO_LOWER=TRUE";

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, "consent_hub_crm_rows_test");
    }

    @Override
    String crmUrl() {
        return CRM_URL;
    }
}
