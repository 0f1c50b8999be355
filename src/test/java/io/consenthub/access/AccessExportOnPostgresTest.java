package io.consenthub.access;

import io.consenthub.support.HubTest;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The access export on PostgreSQL, in a fresh schema of the local server. */
@ExtendWith(RequiresPostgres.class)
@HubTest
class AccessExportOnPostgresTest extends AccessExportContract {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, "consent_hub_access_export_test");
    }
}
