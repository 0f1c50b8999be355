package io.consenthub.api;

import io.consenthub.support.HubTest;
import org.springframework.test.context.TestPropertySource;

/** The API contract on the embedded default store, H2 in PostgreSQL mode. */
@HubTest
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:api-contract;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1")
class ApiOnH2Test extends ApiContractTest {
}
