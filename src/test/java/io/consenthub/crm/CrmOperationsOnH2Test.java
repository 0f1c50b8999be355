package io.consenthub.crm;

import io.consenthub.support.HubTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.test.context.TestPropertySource;

/** {@link CrmOperationsTest} with the hub on H2. */
@HubTest
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:h2:mem:crm-operations-hub;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
        CrmOperationsTest.PROPERTIES_DEMO + "jdbc.url=" + CrmOperationsOnH2Test.DEMO_URL,
        CrmOperationsTest.PROPERTIES_CLEARING + "jdbc.url=" + CrmOperationsOnH2Test.CLEARING_URL,
        CrmOperationsTest.PROPERTIES_BROKEN + "jdbc.url=" + CrmOperationsOnH2Test.BROKEN_URL
})
class CrmOperationsOnH2Test extends CrmOperationsTest {

    static final String DEMO_URL = "jdbc:h2:mem:crm-ops-h2-demo;DB_CLOSE_DELAY=-1;MODE=MySQL;DATABASE_TO_LOWER=TRUE";
    static final String CLEARING_URL = "jdbc:h2:mem:crm-ops-h2-clearing;DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE";
    static final String BROKEN_URL = "jdbc:h2:mem:crm-ops-h2-broken;DB_CLOSE_DELAY=-1;DATABASE_TO_LOWER=TRUE";

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
        return new JdbcTemplate(new DriverManagerDataSource(BROKEN_URL, "sa", ""));
    }
}
