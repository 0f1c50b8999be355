package io.consenthub.system.devmail;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The embedded development SMTP server: on by default, off in production. Received mail is kept as
 * {@code .eml} files in {@code storeDir} (default {@code ./data/dev-mail}) so the dev mailbox survives
 * a restart; an empty {@code storeDir} keeps it in memory only.
 */
@ConfigurationProperties("consent-hub.dev-mail")
public record DevMailSettings(boolean enabled, int smtpPort, int imapPort, String storeDir) {

    public DevMailSettings {
        storeDir = storeDir == null ? "./data/dev-mail" : storeDir.strip();
    }
}
