package io.consenthub.erasure;

import io.consenthub.support.HubTest;
import org.springframework.test.context.TestPropertySource;

/** The open erasure requests on the embedded default store. */
@HubTest
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:erasure-requests;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1")
class ErasureRequestsOnH2Test extends ErasureRequestsContract {
}
