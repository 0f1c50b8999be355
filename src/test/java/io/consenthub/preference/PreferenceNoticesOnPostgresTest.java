package io.consenthub.preference;

import io.consenthub.contact.Attributes;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.EmailAddress;
import io.consenthub.support.ContactFixtures;
import io.consenthub.support.HubTest;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import io.consenthub.support.TestMailServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The preference-notices route itself, on its timer, with the hub on PostgreSQL. */
@ExtendWith(RequiresPostgres.class)
@HubTest
class PreferenceNoticesOnPostgresTest {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, "consent_hub_preference_notices_test");
        registry.add("consent-hub.preferences.notify-enabled", () -> "true");
        registry.add("consent-hub.preferences.notify-period", () -> "200");
    }

    @Autowired
    ContactDirectory contacts;
    @Autowired
    TransactionTemplate tx;

    @Test
    void theRouteAnnouncesThePageOnceToEachMatchingContact() {
        TestMailServer.get();
        String eu = ContactFixtures.uniqueEmail("pg-notify-eu");
        String us = ContactFixtures.uniqueEmail("pg-notify-us");
        tx.executeWithoutResult(s -> {
            contacts.create(new EmailAddress(eu), new Attributes(Map.of("region", "EU")), List.of());
            contacts.create(new EmailAddress(us), new Attributes(Map.of("region", "US")), List.of());
        });

        await().atMost(Duration.ofSeconds(30)).until(() -> TestMailServer.receivedBy(eu).size() == 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> TestMailServer.receivedBy(eu).size() == 1);
        assertThat(TestMailServer.receivedBy(us)).isEmpty();
    }
}
