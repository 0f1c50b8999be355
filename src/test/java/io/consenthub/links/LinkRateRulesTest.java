package io.consenthub.links;

import io.consenthub.contact.ContactId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Which budget each request on a token endpoint uses, as a table written from the rules. */
class LinkRateRulesTest {

    private static final LinkRateSettings SETTINGS = new LinkRateSettings(120, 60, 30, 20, 10);
    private static final ContactId ANNA = new ContactId(UUID.fromString("00000000-0000-0000-0000-00000000000a"));

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({"GET, VIEW", "HEAD, VIEW", "get, VIEW", "POST, ACT", "PUT, ACT", "DELETE, ACT", "PATCH, ACT", "OPTIONS, ACT", "'', ACT"})
    void looking_and_acting_are_told_apart_by_method(String method, LinkRateRules.Use use) {
        assertThat(LinkRateRules.useOf(method)).isEqualTo(use);
    }

    @ParameterizedTest(name = "{0} from {1}: {2} per {3}")
    @CsvSource({
            "VIEW, 192.0.2.1, view:ip:192.0.2.1, 120, PT1M",
            "ACT,  192.0.2.1, act:ip:192.0.2.1,  60,  PT1M"})
    void every_client_ip_has_one_budget_for_looking_and_another_for_acting(LinkRateRules.Use use, String ip, String key,
                                                                           int limit, Duration window) {
        assertThat(LinkRateRules.forClient(use, ip, SETTINGS)).containsExactly(new LinkRateRules.Budget(key, limit, window));
    }

    @ParameterizedTest(name = "{0} from {1}: {2} per {3}")
    @CsvSource({
            "VIEW,    192.0.2.1, view:contact:00000000-0000-0000-0000-00000000000a:ip:192.0.2.1, 30, PT1M",
            "VIEW,    192.0.2.2, view:contact:00000000-0000-0000-0000-00000000000a:ip:192.0.2.2, 30, PT1M",
            "ACT,     192.0.2.1, act:contact:00000000-0000-0000-0000-00000000000a,              20, PT1M",
            "ACT,     192.0.2.2, act:contact:00000000-0000-0000-0000-00000000000a,              20, PT1M",
            "PROPOSE, 192.0.2.1, propose:contact:00000000-0000-0000-0000-00000000000a,          10, PT1H"})
    void a_contacts_links_are_looked_at_per_contact_and_ip_and_acted_on_per_contact(LinkRateRules.Use use, String ip,
                                                                                   String key, int limit, Duration window) {
        assertThat(LinkRateRules.forContact(use, ANNA, ip, SETTINGS)).containsExactly(new LinkRateRules.Budget(key, limit, window));
    }
}
