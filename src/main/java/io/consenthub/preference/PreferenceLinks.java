package io.consenthub.preference;

import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.email.MailSettings;
import io.consenthub.links.IssuedToken;
import io.consenthub.links.LinkTokens;
import io.consenthub.links.TokenPurpose;
import org.springframework.stereotype.Service;

import java.time.Instant;

/** Personal preference-page links issued on request (API) and revoked when one has leaked. */
@Service
public class PreferenceLinks {

    /** A link to hand to the contact; it is shown once and never stored in plain text. */
    public record Link(String url, Instant expiresAt) {
    }

    private final LinkTokens tokens;
    private final ContactDirectory contacts;
    private final MailSettings mail;

    PreferenceLinks(LinkTokens tokens, ContactDirectory contacts, MailSettings mail) {
        this.tokens = tokens;
        this.contacts = contacts;
        this.mail = mail;
    }

    public Link issue(ContactId contact) {
        contacts.get(contact);
        IssuedToken token = tokens.issue(TokenPurpose.PREFERENCES, contact, "api", mail.preferenceLinkTtl());
        return new Link(mail.baseUrl() + "/p/" + token.token(), token.expiresAt());
    }

    public int revokeAll(ContactId contact) {
        contacts.get(contact);
        return tokens.revokeAll(contact, TokenPurpose.PREFERENCES);
    }
}
