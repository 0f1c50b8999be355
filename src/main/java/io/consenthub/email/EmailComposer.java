package io.consenthub.email;

import io.consenthub.contact.Contact;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.decision.ConsentDecisions;
import io.consenthub.decision.EmailKind;
import io.consenthub.links.LinkTokens;
import io.consenthub.links.TokenPurpose;
import io.consenthub.outbox.OutboxMessage;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;

import java.util.Date;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the MIME message of an outbox email at delivery time: the contact's current address, the
 * kind header, reply threading, and for campaigns the RFC 8058 one-click unsubscribe headers and the
 * preference footer. Tokens for links are issued here, so they exist only in the sent mail.
 * A tracking pixel and tracked links are added only while the contact's tracking consent is granted.
 */
@Component("emailComposer")
public class EmailComposer {

    /** The header every message carries its kind in. */
    public static final String KIND_HEADER = "X-Consent-Hub-Kind";
    static final String CONFIRM_LINK = "{confirmLink}";
    static final String UNSUBSCRIBE_LINK = "{unsubscribeLink}";
    /** Replaced by the contact's personal preference page link. */
    public static final String PREFERENCE_LINK = "{preferenceLink}";
    /** Replaced by the link confirming the pending change set named in the payload's linkReference. */
    public static final String CONFIRM_CHANGES_LINK = "{confirmChangesLink}";
    /** Replaced by the single-use link downloading the access export named in the payload's linkReference. */
    public static final String EXPORT_LINK = "{exportLink}";
    private static final java.util.Set<EmailKind> FOOTED = java.util.EnumSet.of(EmailKind.AD_HOC, EmailKind.WORKFLOW,
            EmailKind.AUTORESPONDER, EmailKind.REPLY);
    private static final Pattern HREF = Pattern.compile("href=\"(https?://[^\"]+)\"");

    private final ContactDirectory contacts;
    private final ConsentDecisions decisions;
    private final LinkTokens tokens;
    private final MailSettings settings;
    private final Emails emails;
    private final MailTexts texts;
    private final Session session = Session.getInstance(utf8());

    EmailComposer(ContactDirectory contacts, ConsentDecisions decisions, LinkTokens tokens, MailSettings settings, Emails emails,
                  MailTexts texts) {
        this.texts = texts;
        this.contacts = contacts;
        this.decisions = decisions;
        this.tokens = tokens;
        this.settings = settings;
        this.emails = emails;
    }

    private static Properties utf8() {
        var props = new Properties();
        props.setProperty("mail.mime.allowutf8", "true");
        return props;
    }

    public void compose(Exchange exchange) throws MessagingException {
        OutboxMessage message = exchange.getProperty(EmailDelivery.OUTBOX_MESSAGE, OutboxMessage.class);
        EmailPayload payload = emails.read(message.payload());
        Contact contact = contacts.get(message.contactId());
        String text = payload.text() == null ? "" : payload.text();
        String html = payload.html();

        var mime = new FixedIdMimeMessage(session, message.messageId());
        mime.setFrom(new InternetAddress(settings.from()));
        // The domain in punycode; a UTF-8 local part as it is (EmailAddress validated it; SMTPUTF8 carries it).
        var to = new InternetAddress();
        to.setAddress(contact.primaryEmail().transportForm());
        mime.setRecipient(jakarta.mail.Message.RecipientType.TO, to);
        mime.setSubject(payload.subject(), "UTF-8");
        mime.setSentDate(new Date());
        mime.setHeader(KIND_HEADER, payload.kind().name());
        if (payload.inReplyTo() != null) {
            mime.setHeader("In-Reply-To", payload.inReplyTo());
        }
        if (!payload.references().isEmpty()) {
            mime.setHeader("References", String.join(" ", payload.references()));
        }
        if (payload.kind() == EmailKind.DOUBLE_OPT_IN) {
            String link = settings.baseUrl() + "/confirm/double-opt-in/"
                    + tokens.issue(TokenPurpose.DOUBLE_OPT_IN, contact.id(), message.messageId(), settings.doubleOptInTtl()).token();
            text = text.replace(CONFIRM_LINK, link);
            html = html == null ? null : html.replace(CONFIRM_LINK, HtmlUtils.htmlEscape(link));
        }
        if (payload.linkReference() != null && text.contains(CONFIRM_CHANGES_LINK)) {
            String link = settings.baseUrl() + "/p/confirm/" + tokens.issue(TokenPurpose.PREFERENCE_CHANGE, contact.id(),
                    payload.linkReference(), settings.preferenceChangeTtl()).token();
            text = text.replace(CONFIRM_CHANGES_LINK, link);
        }
        if (payload.linkReference() != null && text.contains(EXPORT_LINK)) {
            String link = settings.baseUrl() + "/p/export/" + tokens.issue(TokenPurpose.ACCESS_EXPORT, contact.id(),
                    payload.linkReference(), settings.preferenceChangeTtl()).token();
            text = text.replace(EXPORT_LINK, link);
        }
        if (FOOTED.contains(payload.kind()) && settings.footer() != null && !settings.footer().isBlank()
                && !text.contains(PREFERENCE_LINK)) {
            text = text + "\n\n--\n" + settings.footer() + "\n";
            if (html != null) {
                html = html + "<hr><p style=\"font-size:small\">" + HtmlUtils.htmlEscape(settings.footer()) + "</p>";
            }
        }
        if (text.contains(PREFERENCE_LINK) || (html != null && html.contains(PREFERENCE_LINK))) {
            String link = settings.baseUrl() + "/p/" + tokens.issue(TokenPurpose.PREFERENCES, contact.id(), message.messageId(),
                    settings.preferenceLinkTtl()).token();
            text = text.replace(PREFERENCE_LINK, link);
            html = html == null ? null : html.replace(PREFERENCE_LINK, HtmlUtils.htmlEscape(link));
        }
        if (payload.kind() == EmailKind.CAMPAIGN) {
            String unsubscribe = settings.baseUrl() + "/u/"
                    + tokens.issue(TokenPurpose.UNSUBSCRIBE, contact.id(), message.messageId(), settings.unsubscribeTtl()).token();
            String listUnsubscribe = "<" + unsubscribe + ">";
            if (settings.unsubscribeMailto() != null && !settings.unsubscribeMailto().isBlank()) {
                listUnsubscribe += ", <mailto:" + settings.unsubscribeMailto() + "?subject=unsubscribe>";
            }
            mime.setHeader("List-Unsubscribe", listUnsubscribe);
            mime.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
            java.util.Locale locale = texts.localeOf(contact);
            text = text.replace(UNSUBSCRIBE_LINK, unsubscribe) + "\n\n--\n"
                    + texts.text(locale, "mail.campaign.footer", texts.label(payload.list(), locale), unsubscribe) + "\n";
            if (html != null) {
                html = html.replace(UNSUBSCRIBE_LINK, HtmlUtils.htmlEscape(unsubscribe))
                        + "<hr><p style=\"font-size:small\">"
                        + texts.text(locale, "mail.campaign.footer.html", HtmlUtils.htmlEscape(unsubscribe)) + "</p>";
            }
        }
        if (html != null && decisions.mayTrack(contact.id())) {
            html = tracked(html, contact, message.messageId());
        }
        if (html == null) {
            mime.setText(text, "UTF-8");
        } else {
            var alternative = new MimeMultipart("alternative");
            var plain = new MimeBodyPart();
            plain.setText(text, "UTF-8");
            var rich = new MimeBodyPart();
            rich.setContent(html, "text/html; charset=UTF-8");
            alternative.addBodyPart(plain);
            alternative.addBodyPart(rich);
            mime.setContent(alternative);
        }
        exchange.getMessage().setBody(mime);
    }

    private String tracked(String html, Contact contact, String messageId) {
        Matcher matcher = HREF.matcher(html);
        var rewritten = new StringBuilder();
        while (matcher.find()) {
            String target = HtmlUtils.htmlUnescape(matcher.group(1));
            if (!trackable(target)) {
                matcher.appendReplacement(rewritten, Matcher.quoteReplacement(matcher.group(0)));
                continue;
            }
            String token = tokens.issue(TokenPurpose.TRACKING, contact.id(), "click " + messageId + " " + target,
                    settings.trackingTtl()).token();
            matcher.appendReplacement(rewritten, Matcher.quoteReplacement("href=\"" + settings.baseUrl() + "/t/c/" + token + "\""));
        }
        matcher.appendTail(rewritten);
        String pixel = tokens.issue(TokenPurpose.TRACKING, contact.id(), "open " + messageId, settings.trackingTtl()).token();
        return rewritten + "<img src=\"" + settings.baseUrl() + "/t/o/" + pixel + "\" width=\"1\" height=\"1\" alt=\"\">";
    }

    /**
     * Only ordinary outside links are wrapped: the hub's own links carry their own tokens (wrapping
     * would store them in plain text), and an overlong or malformed URL is left as it is.
     */
    private boolean trackable(String target) {
        if (target.startsWith(settings.baseUrl()) || target.length() > 1500) {
            return false;
        }
        try {
            java.net.URI uri = new java.net.URI(target);
            return uri.getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /** Keeps the outbox's Message-ID: it is the message's idempotency key and the thread anchor for replies. */
    private static final class FixedIdMimeMessage extends MimeMessage {

        private final String messageId;

        FixedIdMimeMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
