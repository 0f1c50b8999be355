package io.consenthub.crm;

import io.consenthub.support.HubTest;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/** {@link CrmOperationsTest} with the hub on PostgreSQL. */
@ExtendWith(RequiresPostgres.class)
@HubTest
@TestPropertySource(properties = {
        CrmOperationsTest.PROPERTIES_DEMO + "jdbc.url=" + CrmOperationsOnPostgresTest.DEMO_URL,
        CrmOperationsTest.PROPERTIES_CLEARING + "jdbc.url=" + CrmOperationsOnPostgresTest.CLEARING_URL,
        CrmOperationsTest.PROPERTIES_BROKEN + "jdbc.url=" + CrmOperationsOnPostgresTest.BROKEN_URL
})
class CrmOperationsOnPostgresTest extends CrmOperationsTest {

    static final String DEMO_URL = "jdbc:h2:mem:crm-ops-pg-demo;DB_CLOSE_DELAY=-1;MODE=MySQL;DATABASE_TO_LOWER=TRUE";
    static final String CLEARING_URL = "jdbc:h2:mem:crm-ops-pg-clearing;DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE";
    static final String BROKEN_URL = "jdbc:h2:mem:crm-ops-pg-broken;DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE";

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, "consent_hub_crm_operations_test");
    }

    @Override
    String demoCrmUrl() {
        return DEMO_URL;
    }

    @Override
    String clearingCrmUrl() {
        return CLEARING_URL;
    }

    @Override
    String brokenCrmUrl() {
        return BROKEN_URL;
    }
}
