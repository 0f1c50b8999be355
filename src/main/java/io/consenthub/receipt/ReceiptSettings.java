package io.consenthub.receipt;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.ArrayList;

/**
 * {@code consent-hub.receipts}: who the controller is and under which law, as every receipt states
 * it (Kantara Consent Receipt 1.1 {@code piiControllers}, {@code jurisdiction}, {@code policyUrl}).
 * Checked at start-up: a receipt without a controller or policy would prove nothing; every missing
 * value is named.
 */
@ConfigurationProperties("consent-hub.receipts")
record ReceiptSettings(String jurisdiction, String policyUrl, Controller controller) {

    /** The data controller as a receipt names it. */
    record Controller(String name, String contact, String address, String email, String phone, String url) {
    }

    ReceiptSettings {
        var problems = new ArrayList<String>();
        if (jurisdiction == null || jurisdiction.isBlank()) {
            problems.add("jurisdiction is not set (e.g. SE)");
        }
        if (policyUrl == null || policyUrl.isBlank()) {
            problems.add("policy-url is not set (the privacy policy a receipt points to)");
        }
        if (controller == null || controller.name() == null || controller.name().isBlank()) {
            problems.add("controller.name is not set (the data controller receipts name)");
        } else if (controller.email() == null || controller.email().isBlank()) {
            problems.add("controller.email is not set (where a contact reaches the controller)");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("consent-hub.receipts: " + String.join("; ", problems));
        }
    }
}
