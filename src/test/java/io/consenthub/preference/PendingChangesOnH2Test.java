package io.consenthub.preference;

import io.consenthub.support.HubTest;
import org.springframework.test.context.TestPropertySource;

/** Pending change sets on the embedded default store, H2 in PostgreSQL mode. */
@HubTest
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:pending-changes;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1")
class PendingChangesOnH2Test extends PendingChangesContract {
}
