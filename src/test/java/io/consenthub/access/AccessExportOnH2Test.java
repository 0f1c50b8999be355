package io.consenthub.access;

import io.consenthub.support.HubTest;
import org.springframework.test.context.TestPropertySource;

/** The access export on the embedded H2 store. */
@HubTest
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:access-export;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1")
class AccessExportOnH2Test extends AccessExportContract {
}
