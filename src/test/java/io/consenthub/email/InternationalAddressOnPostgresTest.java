package io.consenthub.email;

import io.consenthub.support.HubTest;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** International addresses on PostgreSQL. */
@ExtendWith(RequiresPostgres.class)
@HubTest
class InternationalAddressOnPostgresTest extends InternationalAddressContract {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, "consent_hub_international_test");
    }
}
