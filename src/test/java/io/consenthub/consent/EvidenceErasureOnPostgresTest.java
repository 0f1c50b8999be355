package io.consenthub.consent;

import io.consenthub.support.HubTest;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Evidence erasure on PostgreSQL, the production store. */
@ExtendWith(RequiresPostgres.class)
@HubTest
class EvidenceErasureOnPostgresTest extends EvidenceErasureTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, "consent_hub_evidence_test");
    }
}
