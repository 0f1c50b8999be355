package io.consenthub.decision;

import io.consenthub.support.HubTest;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/** The decision service at every entry point, on PostgreSQL. */
@ExtendWith(RequiresPostgres.class)
@HubTest
@TestPropertySource(properties = {"consent-hub.crm.connectors.shop-crm.kind=push", "consent-hub.crm.connectors.shop-crm.enabled=true"})
class ConsentDecisionsOnPostgresTest extends ConsentDecisionsContractTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, "consent_hub_decisions_test");
    }
}
