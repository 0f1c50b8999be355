package io.consenthub.preference;

import io.consenthub.support.HubTest;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Signed consent receipts on PostgreSQL, the production store, in a fresh schema of the local server. */
@ExtendWith(RequiresPostgres.class)
@HubTest
class ConsentReceiptOnPostgresTest extends ConsentReceiptContract {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, "consent_hub_receipt_test");
    }
}
