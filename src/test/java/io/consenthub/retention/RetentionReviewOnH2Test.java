package io.consenthub.retention;

import io.consenthub.support.HubTest;
import org.springframework.test.context.TestPropertySource;

/** The retention review on the embedded H2 store. */
@HubTest
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:h2:mem:retention-review;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
        "consent-hub.retention.inactive-for=PT2S"
})
class RetentionReviewOnH2Test extends RetentionReviewContract {
}
