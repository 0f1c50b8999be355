package io.consenthub.partner;

import io.consenthub.support.HubTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/** Global Privacy Control on the embedded default store. */
@HubTest
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:gpc;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1")
class GlobalPrivacyControlOnH2Test extends GlobalPrivacyControlContract {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        partner(registry);
    }
}
