package io.consenthub.webform;

import java.util.Map;

/**
 * A web-form submission forwarded by the organisation's website backend. {@code ip} and
 * {@code userAgent} are those of the person who filled in the form, kept as evidence.
 */
record WebFormSubmission(String formId, String email, Map<String, String> attributes, Boolean marketingOptIn,
                         Map<String, Boolean> consents, String ip, String userAgent) {
}
