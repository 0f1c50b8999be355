package io.consenthub.retention;

import io.consenthub.support.HubTest;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/** The retention review on PostgreSQL, in a fresh schema of the local server. */
@ExtendWith(RequiresPostgres.class)
@HubTest
@TestPropertySource(properties = "consent-hub.retention.inactive-for=PT2S")
class RetentionReviewOnPostgresTest extends RetentionReviewContract {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, "consent_hub_retention_review_test");
    }
}
