package io.consenthub.email;

import io.consenthub.decision.EmailKind;

import java.util.List;

/**
 * An email as it waits in the outbox. The recipient is not in it: it is the contact's primary
 * address at delivery time. Links that need tokens (double opt-in, unsubscribe, tracking) are
 * issued when the message is composed, so no usable token is stored in plain text.
 *
 * @param list       for campaigns: the email-list purpose
 * @param inReplyTo  for replies: the Message-ID answered
 * @param references for replies: the conversation's Message-IDs
 * @param linkReference what a {confirmChangesLink} in the body confirms (a pending change set id)
 */
public record EmailPayload(EmailKind kind, String subject, String text, String html, String list, String inReplyTo,
                           List<String> references, String requestedBy, String linkReference) {

    public EmailPayload {
        references = references == null ? List.of() : List.copyOf(references);
    }

    public EmailPayload(EmailKind kind, String subject, String text, String html, String list, String inReplyTo,
                        List<String> references, String requestedBy) {
        this(kind, subject, text, html, list, inReplyTo, references, requestedBy, null);
    }
}
