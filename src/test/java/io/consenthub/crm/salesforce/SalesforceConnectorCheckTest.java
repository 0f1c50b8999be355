package io.consenthub.crm.salesforce;

import io.consenthub.consent.Purpose;
import io.consenthub.consent.PurposeKind;
import io.consenthub.crm.CrmSettings;
import io.consenthub.support.TestKeyStores;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A Salesforce login the hub cannot make is named at start-up, key by key, never as failing polls. */
class SalesforceConnectorCheckTest {

    private static final String AT = "consent-hub.crm.connectors.sf.salesforce.";
    private static final Purpose NEWSLETTER = new Purpose("newsletter", PurposeKind.EMAIL_LIST, Map.of(), Map.of(), false,
            null, null, null);

    private static List<String> problems(Map<String, String> salesforce) {
        var properties = new LinkedHashMap<String, String>();
        properties.put("consent-hub.crm.connectors.sf.kind", "salesforce");
        properties.put(AT + "client-id", "consumer-key");
        properties.put(AT + "objects.Contact.email", "Email");
        properties.put(AT + "client-secret", "consumer-secret");
        salesforce.forEach((key, value) -> properties.put(AT + key, value));
        CrmSettings settings = new Binder(new MapConfigurationPropertySource(properties)).bind("consent-hub.crm", CrmSettings.class).get();
        var problems = new ArrayList<String>();
        new SalesforceConnectorCheck(() -> List.of(NEWSLETTER)).check("sf", settings.connectors().get("sf"), problems);
        return problems;
    }

    @Test
    void theShippedFlowsWithTheirKeysPass() {
        assertThat(problems(Map.of("client-secret", "s"))).isEmpty();
        assertThat(problems(Map.of("authentication-type", "username_password", "client-secret", "s", "username", "u@example.com",
                "password", "p"))).isEmpty();
        Path key = TestKeyStores.create("sf-jwt-check", "RSA", "sf-jwt");
        assertThat(problems(Map.of("authentication-type", "JWT", "username", "integration@example.com",
                "keystore", key.toString(), "keystore-password", TestKeyStores.PASSWORD))).isEmpty();
    }

    @Test
    void aSecretFlowWithoutItsSecretOrUserIsNamedAtStartUp() {
        assertThat(problems(Map.of("client-secret", ""))).singleElement().asString()
                .startsWith(AT + "client-secret: required for CLIENT_CREDENTIALS");
        assertThat(problems(Map.of("authentication-type", "USERNAME_PASSWORD", "client-secret", "s", "username", "u@example.com")))
                .singleElement().asString().startsWith(AT + "username, password: both required for USERNAME_PASSWORD");
    }

    @Test
    void bulkSettingsOutsideWhatWorksAreEachNamed() {
        assertThat(problems(Map.of("client-secret", "s", "bulk-threshold", "-1", "bulk-page-size", "60000",
                "bulk-poll-interval", "0s")))
                .anySatisfy(problem -> assertThat(problem).startsWith(AT + "bulk-threshold: 0 (Bulk API 2.0 off) or a number"))
                .anySatisfy(problem -> assertThat(problem).startsWith(AT + "bulk-page-size: between 1 and 50000"))
                .anySatisfy(problem -> assertThat(problem).startsWith(AT + "bulk-poll-interval: longer than 0"))
                .hasSize(3);
    }

    @Test
    void anUnknownAuthenticationTypeIsNamedWithTheKnownOnes() {
        assertThat(problems(Map.of("authentication-type", "OAUTH"))).singleElement().asString()
                .startsWith(AT + "authentication-type: must be one of [CLIENT_CREDENTIALS, JWT, USERNAME_PASSWORD], is OAUTH");
    }

    @Test
    void jwtWithoutUserOrKeystoreNamesBothKeys() {
        assertThat(problems(Map.of("authentication-type", "JWT")))
                .anySatisfy(problem -> assertThat(problem).startsWith(AT + "username: required for JWT"))
                .anySatisfy(problem -> assertThat(problem).startsWith(AT + "keystore: required for JWT"));
    }

    @Test
    void aKeystoreThatCannotBeOpenedIsNamedWithoutItsPassword() {
        Path key = TestKeyStores.create("sf-jwt-check", "RSA", "sf-jwt");
        assertThat(problems(Map.of("authentication-type", "JWT", "username", "u", "keystore", key.toString(),
                "keystore-password", "not-the-password"))).singleElement().asString()
                .startsWith(AT + "keystore: ").contains("cannot be opened as PKCS12 with keystore-password")
                .doesNotContain("not-the-password");
        assertThat(problems(Map.of("authentication-type", "JWT", "username", "u", "keystore", "target/no-such-store.p12",
                "keystore-password", "p"))).singleElement().asString().contains("no-such-store.p12 cannot be read");
    }

    @Test
    void aKeystoreWithAnEcKeyIsRefusedForRs256() {
        Path key = TestKeyStores.create("sf-jwt-check-ec", "EC", "sf-jwt");
        assertThat(problems(Map.of("authentication-type", "JWT", "username", "u", "keystore", key.toString(),
                "keystore-password", TestKeyStores.PASSWORD))).singleElement().asString().contains("is not an RSA private key");
    }

    @Test
    void anApiVersionThatIsNotOneIsNamed() {
        assertThat(problems(Map.of("client-secret", "s", "api-version", "v65"))).singleElement().asString()
                .startsWith(AT + "api-version: must be a Salesforce REST API version such as 65.0, is v65");
    }

    @Test
    void aPersonAccountMappingWithItsOwnOptOutFieldConditionAndFieldsPasses() {
        assertThat(problems(Map.of("client-secret", "s", "objects.Account.email", "PersonEmail",
                "objects.Account.opt-out-field", "PersonHasOptedOutOfEmail", "objects.Account.where", "IsPersonAccount = true",
                "objects.Account.write-back-fields.Newsletter_Consent__pc", "consent.newsletter"))).isEmpty();
    }

    @Test
    void aWhereThatIsMoreThanAConditionIsRefused() {
        assertThat(problems(Map.of("client-secret", "s", "objects.Account.where", "IsPersonAccount = true LIMIT 10")))
                .singleElement().asString().startsWith(AT + "objects.Account.where: must be a plain SOQL condition")
                .contains("'LIMIT' does not continue the condition");
    }

    @Test
    void writeBackFieldsOfAnObjectNameKnownValues() {
        assertThat(problems(Map.of("client-secret", "s", "objects.Account.write-back-fields.Newsletter__pc", "consent.nope",
                "objects.Account.opt-out-field", "Person Opt Out")))
                .anySatisfy(problem -> assertThat(problem).startsWith(AT + "objects.Account.write-back-fields: unknown value 'consent.nope'"))
                .anySatisfy(problem -> assertThat(problem).startsWith(AT + "objects.Account.opt-out-field: 'Person Opt Out' is not a field name"));
    }

    @Test
    void doNotCallNeedsItsFieldAndAPurposeACrmMayRecord() {
        assertThat(problems(Map.of("client-secret", "s", "objects.Contact.do-not-call-field", "DoNotCall")))
                .singleElement().asString().startsWith(AT + "objects.Contact.do-not-call-purpose: do-not-call-field and do-not-call-purpose are set together");
        assertThat(problems(Map.of("client-secret", "s", "objects.Contact.do-not-call-field", "DoNotCall",
                "objects.Contact.do-not-call-purpose", "phone"))).singleElement().asString()
                .startsWith(AT + "objects.Contact.do-not-call-purpose: unknown purpose 'phone'");
        assertThat(problems(Map.of("client-secret", "s", "objects.Contact.do-not-call-field", "DoNotCall",
                "objects.Contact.do-not-call-purpose", "newsletter"))).isEmpty();
    }

    @Test
    void theConsentObjectsNameKnownPurposesAndDataUsePurposeIds() {
        assertThat(problems(Map.of("client-secret", "s", "individual.enabled", "true", "individual.tracking-purpose", "tracking",
                "individual.data-use-purposes.newsletter", "not an id")))
                .anySatisfy(problem -> assertThat(problem).startsWith(AT + "individual.tracking-purpose: unknown purpose 'tracking'"))
                .anySatisfy(problem -> assertThat(problem).startsWith(AT + "individual.data-use-purposes.newsletter: must be the Id"));
        assertThat(problems(Map.of("client-secret", "s", "individual.enabled", "true",
                "individual.data-use-purposes.newsletter", "0ZW000000000001AAA"))).isEmpty();
    }
}
