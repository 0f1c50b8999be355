package io.consenthub.crm;

import io.consenthub.support.HubTest;
import org.springframework.test.context.TestPropertySource;

/** {@link JdbcCrmSyncRowsTest} with the hub on H2. */
@HubTest
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:h2:mem:crm-rows-hub;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
        "consent-hub.crm.connectors.demo-crm.enabled=true",
        "consent-hub.crm.connectors.demo-crm.poll-period=1h",
        "consent-hub.crm.connectors.demo-crm.jdbc.url=" + JdbcCrmSyncRowsOnH2Test.CRM_URL
})
class JdbcCrmSyncRowsOnH2Test extends JdbcCrmSyncRowsTest {

    static final String CRM_URL = "jdbc:h2:mem:crm-rows-h2-crm;DB_CLOSE_DELAY=-1;MODE=MySQL;DATABASE_TO_LOWER=TRUE";

    @Override
    String crmUrl() {
        return CRM_URL;
    }
}
