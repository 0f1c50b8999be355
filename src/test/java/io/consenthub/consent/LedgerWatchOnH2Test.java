package io.consenthub.consent;

import io.consenthub.support.ContactFixtures;
import io.consenthub.support.HubTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/** The scheduled ledger verification on the embedded default store. */
@HubTest
@Import(ContactFixtures.class)
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:h2:mem:ledger-watch;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
        "consent-hub.ledger.verification.period=200",
        "consent-hub.ledger.verification.delay=0",
        "consent-hub.ledger.verification.contacts-per-run=2",
        "consent-hub.ledger.checkpoint.check-period=200",
        "consent-hub.ledger.checkpoint.interval=200"})
class LedgerWatchOnH2Test extends LedgerWatchContract {
}
