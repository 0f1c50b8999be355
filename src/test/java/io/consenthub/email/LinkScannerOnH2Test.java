package io.consenthub.email;

import io.consenthub.support.ContactFixtures;
import io.consenthub.support.HubTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/** Link scanners on the embedded default store. */
@HubTest
@Import(ContactFixtures.class)
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:h2:mem:link-scanners;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1",
        // "right after delivery" generously, so a slow test machine still counts as quick
        "consent-hub.email.tracking.early-window=2m"})
class LinkScannerOnH2Test extends LinkScannerContract {
}
