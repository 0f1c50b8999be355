package io.consenthub.email;

import io.consenthub.support.HubTest;
import org.springframework.test.context.TestPropertySource;

/** International addresses on the embedded default store. */
@HubTest
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:international-addresses;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1")
class InternationalAddressOnH2Test extends InternationalAddressContract {
}
