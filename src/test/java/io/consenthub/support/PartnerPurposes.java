package io.consenthub.support;

import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Properties that add partners beyond config/partners.yaml's acme for a test or benchmark: each
 * with its own custom purpose {@code share-with-partner-<id>} (a purpose names one partner). Spring
 * binds a list from one property source as a whole, so the purposes of config/consents.yaml are
 * restated here with the new ones appended.
 */
public final class PartnerPurposes {

    private PartnerPurposes() {
    }

    public static String purpose(String partner) {
        return "share-with-partner-" + partner;
    }

    /** The purposes and partners as property names and values; each partner receives email, firstName and language. */
    public static Map<String, String> properties(List<String> partners, String url) {
        var properties = new LinkedHashMap<String, String>();
        try {
            Map<String, Object> root = new Yaml().load(Files.readString(Path.of("config", "consents.yaml")));
            @SuppressWarnings("unchecked")
            var purposes = new ArrayList<Object>((List<Object>) ((Map<String, Object>) root.get("consent-hub")).get("consents"));
            for (String partner : partners) {
                purposes.add(Map.of("id", purpose(partner), "kind", "custom", "partner", partner, "default", false,
                        "labels", Map.of("en", "Share my details with " + partner, "sv", "Dela mina uppgifter med " + partner)));
            }
            flatten(properties, "consent-hub.consents", purposes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String partner : partners) {
            String at = "consent-hub.partner-sharing.partners." + partner + ".";
            properties.put(at + "url", url);
            properties.put(at + "signing.secret", PartnerStandIn.SECRET);
            properties.put(at + "purposes[0]", purpose(partner));
            properties.put(at + "attributes[0]", "email");
            properties.put(at + "attributes[1]", "firstName");
            properties.put(at + "attributes[2]", "language");
        }
        return properties;
    }

    private static void flatten(Map<String, String> into, String prefix, Object value) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> flatten(into, prefix + "." + k, v));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                flatten(into, prefix + "[" + i + "]", list.get(i));
            }
        } else {
            into.put(prefix, String.valueOf(value));
        }
    }
}
