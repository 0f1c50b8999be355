package io.consenthub.crm;

import io.consenthub.support.HubTest;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.TestPropertySource;

/** {@link CrmOperationsTest} with the hub on PostgreSQL. */
@ExtendWith(RequiresPostgres.class)
@HubTest
@TestPropertySource(properties = {
        CrmOperationsTest.PROPERTIES_DEMO + "jdbc.url=" + CrmOperationsOnPostgresTest.DEMO_URL,
        CrmOperationsTest.PROPERTIES_CLEARING + "jdbc.url=" + CrmOperationsOnPostgresTest.CLEARING_URL
})
class CrmOperationsOnPostgresTest extends CrmOperationsTest {

    static final String DEMO_URL = "jdbc:h2:mem:crm-ops-pg-demo;DB_CLOSE_DELAY=-1;MODE=MySQL;DATABASE_TO_LOWER=TRUE";
    static final String CLEARING_URL = "jdbc:h2:mem:crm-ops-pg-clearing;DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE";
    /** The failing CRM is a PostgreSQL schema of its own: its errors are PostgreSQL's. */
    static final String BROKEN_SCHEMA = "consent_hub_crm_operations_broken_crm";

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, "consent_hub_crm_operations_test");
        registry.add(CrmOperationsTest.PROPERTIES_BROKEN + "jdbc.url", () -> PostgresTestDatabase.freshSchema(BROKEN_SCHEMA));
        registry.add(CrmOperationsTest.PROPERTIES_BROKEN + "jdbc.username", () -> "postgres");
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
    JdbcTemplate brokenCrm() {
        return new JdbcTemplate(new DriverManagerDataSource(PostgresTestDatabase.freshSchema(BROKEN_SCHEMA), "postgres", ""));
    }
}
