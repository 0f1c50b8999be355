package io.consenthub.decision;

/**
 * The Camel headers a route sets to ask the {@code consentGate} its question. Routes set them from
 * data (usually the outbox message); the gate never guesses a missing one.
 */
public final class GateHeaders {

    /** The contact the message is about (UUID). */
    public static final String CONTACT_ID = "ConsentHubContactId";
    /** An {@link EmailKind} name. */
    public static final String EMAIL_KIND = "ConsentHubEmailKind";
    /** For campaigns: the email-list purpose id. */
    public static final String LIST = "ConsentHubList";
    /** For replies: the Message-IDs answered, space separated. */
    public static final String REFERENCES = "ConsentHubReferences";
    /** The outgoing message's id, kept with a refusal. */
    public static final String MESSAGE_ID = "ConsentHubMessageId";
    /** Set by the gate: the rule that allowed the message. */
    public static final String ALLOWED_BY = "ConsentHubAllowedBy";

    private GateHeaders() {
    }
}
