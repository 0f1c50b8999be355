package io.consenthub.partner;

import io.consenthub.support.HubTest;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Global Privacy Control on PostgreSQL. */
@ExtendWith(RequiresPostgres.class)
@HubTest
class GlobalPrivacyControlOnPostgresTest extends GlobalPrivacyControlContract {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, "consent_hub_gpc_test");
        partner(registry);
    }
}
