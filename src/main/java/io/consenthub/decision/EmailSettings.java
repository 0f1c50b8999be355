package io.consenthub.decision;

import io.consenthub.consent.optin.SendingPolicy;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code consent-hub.sending-policy}: which opt-in statuses campaigns may email. */
@ConfigurationProperties("consent-hub")
public record EmailSettings(SendingPolicy sendingPolicy) {

    public EmailSettings {
        sendingPolicy = sendingPolicy == null ? SendingPolicy.DOUBLE_ONLY : sendingPolicy;
    }
}
