package io.consenthub.fields;

import io.consenthub.support.HubTest;
import org.springframework.test.context.TestPropertySource;

/** Sensitive fields on the embedded default store, H2 in PostgreSQL mode, with the demo CRM syncing and a push CRM. */
@HubTest
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:h2:mem:sensitive-fields;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
        "consent-hub.crm.connectors.demo-crm.enabled=true",
        "consent-hub.crm.connectors.demo-crm.jdbc.url=jdbc:h2:mem:demo-crm-fields-h2;DB_CLOSE_DELAY=-1;MODE=MySQL;DATABASE_TO_LOWER=TRUE",
        "consent-hub.crm.connectors.demo-crm.poll-period=1s",
        "consent-hub.crm.connectors.shop-crm.kind=push",
        "consent-hub.crm.connectors.shop-crm.enabled=true"})
class SensitiveFieldsOnH2Test extends SensitiveFieldsContract {
}
