package io.consenthub.system.devmail;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** The embedded development SMTP server: on by default, off in production. */
@ConfigurationProperties("consent-hub.dev-mail")
public record DevMailSettings(boolean enabled, int smtpPort, int imapPort) {
}
