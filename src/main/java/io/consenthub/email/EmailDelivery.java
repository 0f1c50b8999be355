package io.consenthub.email;

import io.consenthub.decision.ConsentRefusedException;
import io.consenthub.decision.Act;
import io.consenthub.decision.GateQuestion;
import io.consenthub.outbox.Outbox;
import io.consenthub.outbox.OutboxMessage;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * The outbox side of the email delivery route: claims due emails, puts the consent gate's question
 * on each exchange (as an exchange property, see {@link GateQuestion}), and records the outcome — delivered, refused by the gate (never retried) or
 * failed (retried with backoff).
 */
@Component("emailDelivery")
public class EmailDelivery {

    static final String OUTBOX_MESSAGE = "ConsentHubOutboxMessage";
    private static final Logger log = LoggerFactory.getLogger(EmailDelivery.class);

    private final Outbox outbox;
    private final Emails emails;
    private final MailSettings settings;
    private final MeterRegistry meters;

    EmailDelivery(Outbox outbox, Emails emails, MailSettings settings, MeterRegistry meters) {
        this.outbox = outbox;
        this.emails = emails;
        this.settings = settings;
        this.meters = meters;
    }

    public List<OutboxMessage> due() {
        return outbox.claim(Emails.OUTBOX_KIND, settings.batchSize());
    }

    public void prepare(Exchange exchange) {
        OutboxMessage message = exchange.getMessage().getBody(OutboxMessage.class);
        exchange.setProperty(OUTBOX_MESSAGE, message);
        EmailPayload payload = emails.read(message.payload());
        var references = new java.util.ArrayList<>(payload.references());
        if (payload.inReplyTo() != null) {
            references.add(payload.inReplyTo());
        }
        new GateQuestion(message.contactId(), new Act.SendEmail(payload.kind(), payload.list(), references),
                message.messageId()).askOn(exchange);
    }

    public void delivered(Exchange exchange) {
        OutboxMessage message = exchange.getProperty(OUTBOX_MESSAGE, OutboxMessage.class);
        outbox.delivered(message);
        meters.counter("consent_hub_emails_sent", "kind", message.destination()).increment();
    }

    public void refused(Exchange exchange) {
        OutboxMessage message = exchange.getProperty(OUTBOX_MESSAGE, OutboxMessage.class);
        var cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, ConsentRefusedException.class);
        outbox.refused(message, cause == null ? "refused" : MailErrorText.withoutAddresses(cause.getMessage()));
    }

    public void failed(Exchange exchange) {
        OutboxMessage message = exchange.getProperty(OUTBOX_MESSAGE, OutboxMessage.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (message == null) {
            message = exchange.getMessage().getBody(OutboxMessage.class);
        }
        if (message == null) {
            log.error("email delivery failed before its outbox message was known: {}", MailErrorText.of(cause));
            return;
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SmtpUtf8UnsupportedException unsupported) {
                log.warn("email {} refused: smtp-utf8-unsupported (the SMTP server does not offer SMTPUTF8)", message.messageId());
                outbox.refused(message, "smtp-utf8-unsupported: " + MailErrorText.withoutAddresses(unsupported.getMessage()));
                return;
            }
        }
        String reason = MailErrorText.of(cause);
        log.warn("email {} attempt {} failed, will retry: {}", message.messageId(), message.attempts(), reason);
        outbox.failed(message, reason);
        meters.counter("consent_hub_email_failures", "kind", message.destination()).increment();
    }
}
