package io.consenthub.api;

import io.consenthub.support.HubTest;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Request hardening on PostgreSQL, where a too-long value would overflow a column. */
@ExtendWith(RequiresPostgres.class)
@HubTest
class RequestHardeningOnPostgresTest extends RequestHardeningContract {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, "consent_hub_hardening_test");
    }
}
