package io.consenthub.routes;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every step in {@code routes/} that lets data leave the hub — an {@code smtp:}, {@code salesforce:}
 * or {@code http(s):} endpoint, or a CRM writer bean — sits inside {@code policy: ref: consentGate}.
 * An integration engineer who adds a delivery route without the gate gets this test's failure,
 * naming the file, the route and the step.
 */
class DeliveryRoutesAreGatedTest {

    private static final Set<String> LEAVING_SCHEMES = Set.of("smtp", "smtps", "salesforce", "http", "https");
    /** Beans whose method writes into a CRM (bean ref + "." + method). */
    private static final Set<String> CRM_WRITERS = Set.of("crmWriteBack.write");

    @Test
    void everyStepThatLetsDataLeaveIsInsideTheConsentGate() throws IOException {
        var ungated = new ArrayList<String>();
        var gated = new ArrayList<String>();
        try (Stream<Path> files = Files.walk(Path.of("routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).toList()) {
                check(file.toString(), Files.readString(file), ungated, gated);
            }
        }
        assertThat(ungated).as("delivery steps outside policy consentGate").isEmpty();
        assertThat(gated).as("the gated delivery steps found").anyMatch(s -> s.contains("smtp"))
                .anyMatch(s -> s.contains("crmWriteBack.write"));
    }

    @Test
    void aRouteThatSendsMailWithoutTheGateIsFound() {
        String yaml = """
                - route:
                    id: sneaky-mail
                    from:
                      uri: timer:x
                      steps:
                        - policy:
                            ref: someOtherPolicy
                            steps:
                              - to:
                                  uri: "smtp://localhost:25"
                        - bean:
                            ref: crmWriteBack
                            method: write
                        - to: "https://partner.example/hook"
                """;
        var ungated = new ArrayList<String>();
        check("inline.camel.yaml", yaml, ungated, new ArrayList<>());
        assertThat(ungated).hasSize(3);
    }

    @SuppressWarnings("unchecked")
    private static void check(String file, String yaml, List<String> ungated, List<String> gated) {
        Object document = new Yaml().load(yaml);
        if (!(document instanceof List<?> items)) {
            return;
        }
        for (Object item : items) {
            if (item instanceof Map<?, ?> map && map.get("route") instanceof Map<?, ?> route) {
                String where = file + " route " + route.get("id");
                walk(route.get("from"), false, where, ungated, gated);
            }
        }
    }

    private static void walk(Object node, boolean inGate, String where, List<String> ungated, List<String> gated) {
        if (node instanceof List<?> list) {
            list.forEach(n -> walk(n, inGate, where, ungated, gated));
            return;
        }
        if (!(node instanceof Map<?, ?> map)) {
            return;
        }
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = String.valueOf(entry.getKey());
            Object value = entry.getValue();
            String leaving = leaving(key, value);
            if (leaving != null) {
                (inGate ? gated : ungated).add(where + ": " + key + " " + leaving);
            }
            boolean gate = inGate || "policy".equals(key) && value instanceof Map<?, ?> policy
                    && "consentGate".equals(policy.get("ref"));
            walk(value, gate, where, ungated, gated);
        }
    }

    /** The step's target when it lets data leave, else null. */
    private static String leaving(String key, Object value) {
        if (List.of("to", "toD", "wireTap", "enrich", "pollEnrich").contains(key)) {
            Object uri = value instanceof Map<?, ?> m ? m.get("uri") : value;
            String text = String.valueOf(uri);
            int colon = text.indexOf(':');
            return colon > 0 && LEAVING_SCHEMES.contains(text.substring(0, colon).toLowerCase()) ? text : null;
        }
        if ("bean".equals(key) && value instanceof Map<?, ?> bean) {
            String name = bean.get("ref") + "." + bean.get("method");
            return CRM_WRITERS.contains(name) ? name : null;
        }
        return null;
    }
}
