package io.consenthub.support;

/**
 * API keys used only by tests; the test profile configures them as plaintext keys, exactly as a
 * deployment would through an environment placeholder.
 */
public final class TestKeys {

    public static final String ADMIN = "test-admin-key-0123456789abcdef";
    public static final String USER = "test-user-key-0123456789abcdef";
    public static final String CRM = "test-crm-key-0123456789abcdef";
    /** Configured by its SHA-256 only, as production keys should be. */
    public static final String WEBFORM = "test-webform-key-0123456789abcdef";
    /** A USER key that may also reveal card numbers (reveal: [cardNumber]). */
    public static final String BILLING = "test-billing-key-0123456789abcdef";

    private TestKeys() {
    }
}
