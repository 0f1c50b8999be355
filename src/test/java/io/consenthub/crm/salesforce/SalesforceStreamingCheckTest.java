package io.consenthub.crm.salesforce;

import io.consenthub.crm.CrmSettings;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The start-up checks of {@code salesforce.streaming}, on connector settings bound as the hub binds them. */
class SalesforceStreamingCheckTest {

    private static List<String> problems(Map<String, String> properties) {
        CrmSettings settings = new Binder(new MapConfigurationPropertySource(properties))
                .bind("consent-hub.crm", CrmSettings.class).get();
        var check = new SalesforceStreamingCheck(settings);
        var problems = new ArrayList<String>();
        settings.connectors().forEach((id, connector) -> check.check(id, connector, problems));
        return problems;
    }

    private static Map<String, String> streaming(String connector, String channel) {
        String at = "consent-hub.crm.connectors." + connector + ".";
        return channel == null
                ? Map.of(at + "kind", "salesforce", at + "enabled", "true", at + "salesforce.streaming.enabled", "true")
                : Map.of(at + "kind", "salesforce", at + "enabled", "true", at + "salesforce.streaming.enabled", "true",
                at + "salesforce.streaming.channel", channel);
    }

    @Test
    void theDefaultChannelAndACustomChannelPass() {
        var properties = new java.util.HashMap<>(streaming("acme", null));
        properties.putAll(streaming("globex", "/data/ConsentHub__chn"));

        assertThat(problems(properties)).isEmpty();
    }

    @Test
    void aChannelThatIsNotChangeDataCaptureIsNamed() {
        assertThat(problems(streaming("acme", "/topic/ContactUpdates")))
                .singleElement().asString()
                .startsWith("consent-hub.crm.connectors.acme.salesforce.streaming.channel: a Change Data Capture channel is")
                .endsWith("is /topic/ContactUpdates");
    }

    @Test
    void twoConnectorsOnOneChannelAreRefusedOnce() {
        var properties = new java.util.HashMap<>(streaming("acme", "/data/ContactChangeEvent"));
        properties.putAll(streaming("globex", "/data/ContactChangeEvent"));

        assertThat(problems(properties)).singleElement().asString()
                .startsWith("consent-hub.crm.connectors.globex.salesforce.streaming.channel: connector acme streams"
                        + " /data/ContactChangeEvent already");
    }

    @Test
    void aConnectorThatDoesNotStreamIsNotChecked() {
        String at = "consent-hub.crm.connectors.acme.";
        assertThat(problems(Map.of(at + "kind", "salesforce", at + "salesforce.streaming.channel", "not a channel"))).isEmpty();
    }
}
