package io.consenthub.consent;

import org.springframework.boot.context.properties.bind.Name;

import java.util.Map;

/**
 * One consent a contact can give or withdraw, as declared in {@code config/consents.yaml}.
 *
 * @param id           stable id used in the ledger, the API and CRM write-back
 * @param kind         what granting it allows
 * @param labels       label per language tag, "en" required
 * @param descriptions longer text per language tag, optional
 * @param defaultValue value assumed while the contact has never answered
 * @param condition    when the consent is shown to a contact (an expression on contact data), optional
 * @param field        for field-storage purposes: the sensitive attribute it covers
 * @param partner      for partner-sharing custom purposes: the partner id, optional
 */
public record Purpose(String id, PurposeKind kind, Map<String, String> labels, Map<String, String> descriptions,
                      @Name("default") boolean defaultValue, String condition, String field, String partner) {

    public Purpose {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        descriptions = descriptions == null ? Map.of() : Map.copyOf(descriptions);
    }

    public String label(String language) {
        return labels.getOrDefault(language, labels.get("en"));
    }
}
