package io.consenthub.crm.salesforce;

import io.consenthub.consent.Purpose;
import io.consenthub.consent.PurposeKind;
import io.consenthub.crm.CrmSettings;
import io.consenthub.support.TestKeyStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commented examples in {@code config/crm/salesforce.yaml.example} (JWT keys, a Person Account
 * object, ...) are real configuration: uncommented, every key binds (none is unknown) and the
 * connector passes its start-up check, so an operator who uncomments one gets a working connector.
 */
class SalesforceExampleConfigTest {

    /** A commented-out key inside the connector (indented as deep as its siblings), e.g. {@code #   where: ...}. */
    private static final Pattern COMMENTED_KEY = Pattern.compile("^( {8,})# ( *[A-Za-z][A-Za-z0-9_.-]*:(?: .*)?)$");

    @Test
    void everyCommentedExampleBindsAndPassesTheConnectorCheck(@TempDir Path dir) throws Exception {
        String example = Files.readString(Path.of("config/crm/salesforce.yaml.example"));
        String uncommented = example.lines().map(line -> COMMENTED_KEY.matcher(line).replaceFirst("$1$2"))
                .collect(Collectors.joining("\n"));
        assertThat(uncommented).contains("keystore: ${SF_KEYSTORE}").contains("where: IsPersonAccount = true")
                .contains("do-not-call-purpose: phone-calls").contains("tracking-purpose: engagement-tracking");
        Path file = dir.resolve("salesforce.yaml");
        Files.writeString(file, uncommented);
        var environment = new StandardEnvironment();
        new YamlPropertySourceLoader().load("example", new FileSystemResource(file))
                .forEach(source -> environment.getPropertySources().addLast(source));
        Path key = TestKeyStores.create("sf-jwt-example", "RSA", "sf-jwt");
        environment.getPropertySources().addFirst(new MapPropertySource("env", Map.of("SF_AUTHENTICATION_TYPE", "JWT",
                "SF_CLIENT_ID", "consumer-key", "SF_USERNAME", "integration@example.com", "SF_KEYSTORE", key.toString(),
                "SF_KEYSTORE_PASSWORD", TestKeyStores.PASSWORD, "SF_NEWSLETTER_DATA_USE_PURPOSE_ID", "0ZW000000000001AAA")));

        CrmSettings settings = Binder.get(environment)
                .bind("consent-hub.crm", Bindable.of(CrmSettings.class), new NoUnboundElementsBindHandler(BindHandler.DEFAULT)).get();

        var problems = new ArrayList<String>();
        // The shipped purposes and the custom one the DoNotCall example asks an operator to add.
        var purposes = new ArrayList<Purpose>();
        String id = null;
        for (String line : Files.readAllLines(Path.of("config/consents.yaml"))) {
            if (line.startsWith("    - id: ")) {
                id = line.substring("    - id: ".length()).trim();
            } else if (line.startsWith("      kind: ") && id != null) {
                String kind = line.substring("      kind: ".length()).trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
                purposes.add(new Purpose(id, PurposeKind.valueOf(kind), Map.of(), Map.of(), false, null, null, null));
            }
        }
        assertThat(purposes).extracting(Purpose::id).contains("newsletter", "share-with-partner-acme");
        purposes.add(purpose("phone-calls"));
        new SalesforceConnectorCheck(() -> purposes).check("salesforce", settings.connectors().get("salesforce"), problems);
        assertThat(problems).isEmpty();
        assertThat(settings.connectors().get("salesforce").salesforce().objects()).containsKey("Account");
        assertThat(settings.connectors().get("salesforce").salesforce().individual().dataUsePurposes()).containsKey("newsletter");
    }

    private static Purpose purpose(String id) {
        return new Purpose(id, PurposeKind.CUSTOM, Map.of(), Map.of(), false, null, null, null);
    }
}
