package io.consenthub.consent;

import io.consenthub.support.ContactFixtures;
import io.consenthub.support.HubTest;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/** The scheduled ledger verification on PostgreSQL. */
@ExtendWith(RequiresPostgres.class)
@HubTest
@Import(ContactFixtures.class)
@TestPropertySource(properties = {
        "consent-hub.ledger.verification.period=200",
        "consent-hub.ledger.verification.delay=0",
        "consent-hub.ledger.verification.contacts-per-run=2",
        "consent-hub.ledger.checkpoint.check-period=200",
        "consent-hub.ledger.checkpoint.interval=200"})
class LedgerWatchOnPostgresTest extends LedgerWatchContract {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, "consent_hub_ledger_watch_test");
    }
}
