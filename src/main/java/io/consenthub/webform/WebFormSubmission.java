package io.consenthub.webform;

import io.consenthub.shared.RequestFields;

import java.util.Map;

/**
 * A web-form submission forwarded by the organisation's website backend. {@code ip} and
 * {@code userAgent} are those of the person who filled in the form, kept as evidence; they are
 * checked here, before the known/unknown branch, so both get the same answer.
 * {@code globalPrivacyControl} is true when the person's browser sent {@code Sec-GPC: 1} (a backend
 * that forwards forms copies the browser's header into it; a browser posting directly sends the header).
 */
record WebFormSubmission(String formId, String email, Map<String, String> attributes, Boolean marketingOptIn,
                         Map<String, Boolean> consents, String ip, String userAgent, Boolean globalPrivacyControl) {

    WebFormSubmission {
        ip = RequestFields.ip("ip", ip);
        userAgent = RequestFields.bounded("userAgent", userAgent, RequestFields.MAX_USER_AGENT);
    }
}
