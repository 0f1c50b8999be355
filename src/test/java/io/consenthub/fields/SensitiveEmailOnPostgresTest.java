package io.consenthub.fields;

import io.consenthub.support.HubTest;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The primary email as a sensitive field on PostgreSQL, the production store, with the demo CRM syncing and a push CRM. */
@ExtendWith(RequiresPostgres.class)
@HubTest
class SensitiveEmailOnPostgresTest extends SensitiveEmailContract {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, "consent_hub_email_test");
        registry.add("consent-hub.fields.email.sensitive", () -> "true");
        registry.add("consent-hub.crm.connectors.demo-crm.enabled", () -> "true");
        registry.add("consent-hub.crm.connectors.demo-crm.jdbc.url",
                () -> "jdbc:h2:mem:demo-crm-email-pg;DB_CLOSE_DELAY=-1;MODE=MySQL;DATABASE_TO_LOWER=TRUE");
        registry.add("consent-hub.crm.connectors.demo-crm.poll-period", () -> "1s");
        registry.add("consent-hub.crm.connectors.shop-crm.kind", () -> "push");
        registry.add("consent-hub.crm.connectors.shop-crm.enabled", () -> "true");
        registry.add("consent-hub.email.inbound.enabled", () -> "true");
        registry.add("consent-hub.email.inbound.poll-period", () -> "200");
        registry.add("consent-hub.email.inbound.username", () -> SensitiveEmailContract.HUB_MAILBOX);
    }
}
