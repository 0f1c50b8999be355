package io.consenthub.email;

import jakarta.mail.MessagingException;

/**
 * The recipient's address has a UTF-8 local part (RFC 6531) and the SMTP server does not offer
 * SMTPUTF8, so the mail cannot be carried there. Final for that message: it is refused, not retried.
 * Names no address (the message reaches logs and the outbox).
 */
class SmtpUtf8UnsupportedException extends MessagingException {

    SmtpUtf8UnsupportedException() {
        super("the recipient's address has a UTF-8 local part (RFC 6531) and the SMTP server does not offer SMTPUTF8;"
                + " use an SMTP server that supports SMTPUTF8 to mail this contact");
    }
}
