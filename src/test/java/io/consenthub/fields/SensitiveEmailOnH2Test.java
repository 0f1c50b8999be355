package io.consenthub.fields;

import io.consenthub.support.HubTest;
import org.springframework.test.context.TestPropertySource;

/** The primary email as a sensitive field on the embedded default store, with the demo CRM syncing and a push CRM. */
@HubTest
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:h2:mem:sensitive-email;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
        "consent-hub.fields.email.sensitive=true",
        "consent-hub.crm.connectors.demo-crm.enabled=true",
        "consent-hub.crm.connectors.demo-crm.jdbc.url=jdbc:h2:mem:demo-crm-email-h2;DB_CLOSE_DELAY=-1;MODE=MySQL;DATABASE_TO_LOWER=TRUE",
        "consent-hub.crm.connectors.demo-crm.poll-period=1s",
        "consent-hub.crm.connectors.shop-crm.kind=push",
        "consent-hub.crm.connectors.shop-crm.enabled=true",
        "consent-hub.email.inbound.enabled=true",
        "consent-hub.email.inbound.poll-period=200",
        "consent-hub.email.inbound.username=" + SensitiveEmailContract.HUB_MAILBOX})
class SensitiveEmailOnH2Test extends SensitiveEmailContract {
}
