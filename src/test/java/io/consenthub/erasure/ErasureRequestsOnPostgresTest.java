package io.consenthub.erasure;

import io.consenthub.support.HubTest;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The open erasure requests on PostgreSQL. */
@ExtendWith(RequiresPostgres.class)
@HubTest
class ErasureRequestsOnPostgresTest extends ErasureRequestsContract {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, "consent_hub_erasure_requests_test");
    }
}
