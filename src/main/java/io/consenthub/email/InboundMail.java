package io.consenthub.email;

import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.EmailAddress;
import io.consenthub.contact.EmailProtection;
import io.consenthub.decision.Conversations;
import io.consenthub.shared.InvalidInputException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.Optional;

/**
 * Records mail that contacts send to the hub's mailbox (read by the IMAP route), keyed by its
 * Message-ID, so a later reply can be recognised as part of a conversation the contact started.
 */
@Component("inboundMail")
public class InboundMail {

    private static final Logger log = LoggerFactory.getLogger(InboundMail.class);

    private final Conversations conversations;
    private final ContactDirectory contacts;
    private final EmailProtection emails;
    private final Clock clock;

    InboundMail(Conversations conversations, ContactDirectory contacts, EmailProtection emails, Clock clock) {
        this.conversations = conversations;
        this.contacts = contacts;
        this.emails = emails;
        this.clock = clock;
    }

    public void record(Exchange exchange) {
        var message = exchange.getMessage();
        String messageId = message.getHeader("Message-ID", String.class);
        String from = message.getHeader("From", String.class);
        String subject = message.getHeader("Subject", String.class);
        Optional<EmailAddress> sender = sender(from);
        Optional<ContactId> contact = sender.flatMap(contacts::findByEmail);
        if (messageId == null || from == null) {
            log.warn("inbound mail without Message-ID or From ignored");
            return;
        }
        if (contact.isEmpty() && sender.isPresent() && !contacts.suppressedEmailKeys(java.util.List.of(sender.get().key())).isEmpty()) {
            // An erased person writing again: nothing of them is stored (not even the From), and no contact is made.
            log.info("inbound mail from a suppressed (erased) address ignored");
            return;
        }
        boolean recorded = conversations.recordInbound(messageId, contact.orElse(null), storedSender(from, sender), subject,
                clock.instant());
        // The Message-ID is not logged: a sender's mailer may build it from their address.
        log.info("inbound mail from {} {}", contact.map(c -> "contact " + c).orElse("an unknown sender"),
                recorded ? "recorded" : "already known");
    }

    /**
     * The sender as {@code inbound_mail} keeps it: the From header as given; when the primary
     * email is sensitive, only the blind index of the address (no name, no address), which still
     * tells two senders apart. The conversation itself is proven through the contact id.
     */
    private String storedSender(String from, Optional<EmailAddress> sender) {
        if (!emails.sealed()) {
            return from;
        }
        return sender.map(a -> emails.index(a.key())).orElse("(not an address)");
    }

    private static Optional<EmailAddress> sender(String from) {
        if (from == null) {
            return Optional.empty();
        }
        try {
            InternetAddress[] parsed = InternetAddress.parse(from);
            return parsed.length == 0 ? Optional.empty() : Optional.of(new EmailAddress(parsed[0].getAddress()));
        } catch (AddressException | InvalidInputException e) {
            return Optional.empty();
        }
    }
}
