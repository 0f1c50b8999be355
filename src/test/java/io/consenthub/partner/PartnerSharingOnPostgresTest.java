package io.consenthub.partner;

import io.consenthub.support.HubTest;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Partner sharing on PostgreSQL, where the fence is a shared row lock. */
@ExtendWith(RequiresPostgres.class)
@HubTest
class PartnerSharingOnPostgresTest extends PartnerSharingContract {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, "consent_hub_partner_test");
        partner(registry);
    }
}
