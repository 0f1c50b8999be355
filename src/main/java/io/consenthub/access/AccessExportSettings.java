package io.consenthub.access;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * Access-export settings ({@code consent-hub.access-export}).
 *
 * @param plaintextAfterMailboxChange how long the address on record must have been the contact's
 *                                    before an export may carry sensitive values in plaintext
 *                                    (default 30 days; zero allows it at once, which lets whoever may
 *                                    change the address have the plaintext mailed to a mailbox of its own)
 */
@ConfigurationProperties("consent-hub.access-export")
public record AccessExportSettings(Duration plaintextAfterMailboxChange) {

    public AccessExportSettings {
        plaintextAfterMailboxChange = plaintextAfterMailboxChange == null ? Duration.ofDays(30) : plaintextAfterMailboxChange;
        if (plaintextAfterMailboxChange.isNegative()) {
            throw new IllegalArgumentException("consent-hub.access-export.plaintext-after-mailbox-change must not be negative");
        }
    }
}
