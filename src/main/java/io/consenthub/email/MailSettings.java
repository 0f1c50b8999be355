package io.consenthub.email;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * {@code consent-hub.email}: sender identity, the public base URL links point to, SMTP, the inbound
 * mailbox the hub reads replies from, link lifetimes, and the footer with the contact's personal
 * preference link that is appended to user, workflow, autoresponder and reply emails (blank = none).
 */
@ConfigurationProperties("consent-hub.email")
public record MailSettings(String from, String baseUrl, String messageIdDomain, String unsubscribeMailto,
                           Smtp smtp, Inbound inbound, int batchSize, Duration doubleOptInTtl, Duration unsubscribeTtl,
                           Duration trackingTtl, Duration preferenceLinkTtl, Duration preferenceChangeTtl, String footer) {

    public MailSettings {
        from = from == null ? "Consent Hub <hub@consent-hub.local>" : from;
        baseUrl = baseUrl == null ? "http://localhost:8080" : baseUrl.replaceAll("/+$", "");
        messageIdDomain = messageIdDomain == null ? "consent-hub.local" : messageIdDomain;
        batchSize = batchSize <= 0 ? 50 : batchSize;
        doubleOptInTtl = doubleOptInTtl == null ? Duration.ofDays(7) : doubleOptInTtl;
        unsubscribeTtl = unsubscribeTtl == null ? Duration.ofDays(365) : unsubscribeTtl;
        trackingTtl = trackingTtl == null ? Duration.ofDays(90) : trackingTtl;
        preferenceLinkTtl = preferenceLinkTtl == null ? Duration.ofDays(30) : preferenceLinkTtl;
        preferenceChangeTtl = preferenceChangeTtl == null ? Duration.ofHours(48) : preferenceChangeTtl;
    }

    /** Outgoing SMTP; {@code starttls} upgrades a plain connection, {@code smtps://} is not used. */
    public record Smtp(String host, int port, String username, String password, boolean starttls,
                       Duration connectTimeout, Duration timeout) {
    }

    /** The mailbox contacts write to; read over IMAP so replies can be matched to conversations. */
    public record Inbound(boolean enabled, String host, int port, String username, String password) {
    }
}
