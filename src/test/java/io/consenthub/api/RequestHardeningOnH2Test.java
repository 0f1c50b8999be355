package io.consenthub.api;

import io.consenthub.support.HubTest;
import org.springframework.test.context.TestPropertySource;

/** Request hardening on the embedded default store; shares the API contract's hub. */
@HubTest
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:api-contract;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1")
class RequestHardeningOnH2Test extends RequestHardeningContract {
}
