package io.consenthub.email;

import io.consenthub.support.ContactFixtures;
import io.consenthub.support.HubTest;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/** Link scanners on PostgreSQL. */
@ExtendWith(RequiresPostgres.class)
@HubTest
@Import(ContactFixtures.class)
@TestPropertySource(properties = "consent-hub.email.tracking.early-window=2m")
class LinkScannerOnPostgresTest extends LinkScannerContract {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, "consent_hub_link_scanners_test");
    }
}
