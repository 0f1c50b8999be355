package io.consenthub.erasure;

import io.consenthub.support.HubTest;
import org.springframework.test.context.TestPropertySource;

/** Erasure on the embedded H2 store, with the demo CRM. */
@HubTest
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:h2:mem:erasure-hub;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
        "consent-hub.crm.connectors.demo-crm.enabled=true",
        "consent-hub.crm.connectors.demo-crm.poll-period=1h",
        "consent-hub.crm.connectors.demo-crm.jdbc.url=" + ErasureOnH2Test.CRM_URL,
        "consent-hub.erasure.period=200",
        "consent-hub.erasure.grace-period=P30D",
        "consent-hub.email.inbound.enabled=true",
        "consent-hub.email.inbound.poll-period=200",
        "consent-hub.email.inbound.username=" + ErasureOnH2Test.MAILBOX
})
class ErasureOnH2Test extends ErasureContract {

    static final String CRM_URL = "jdbc:h2:mem:erasure-crm-h2;DB_CLOSE_DELAY=-1;MODE=MySQL;DATABASE_TO_LOWER=TRUE";

    static final String MAILBOX = "erasure-h2@consent-hub.local";

    @Override
    String mailbox() {
        return MAILBOX;
    }

    @Override
    String crmUrl() {
        return CRM_URL;
    }
}
