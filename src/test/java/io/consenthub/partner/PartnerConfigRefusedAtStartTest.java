package io.consenthub.partner;

import io.consenthub.ConsentHubApplication;
import io.consenthub.support.TestKeyStores;
import io.consenthub.support.StartUpArgs;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A partner configured with every mistake that would leak data or silently share nothing stops the
 * real hub's start-up, and the message lists them all: an unknown purpose, a field the hub does not
 * hold, a sensitive field nobody allowed, plain HTTP to another host, a malformed secret, and a key
 * store whose key is not Ed25519.
 */
class PartnerConfigRefusedAtStartTest {

    @Test
    void aPartnerWithSixMistakesStopsStartUpListingEveryOne() {
        Path rsa = TestKeyStores.create("partner-rsa-signing", "RSA", "wrong");
        String at = "consent-hub.partner-sharing.partners.bad-partner.";
        var hub = new SpringApplicationBuilder(ConsentHubApplication.class);
        String[] args = StartUpArgs.embedded("partner-config-refused",
                "--" + at + "url=http://partner.example/hook",
                "--" + at + "purposes[0]=share-with-partner-nobody",
                "--" + at + "attributes[0]=email",
                "--" + at + "attributes[1]=shoeSize",
                "--" + at + "attributes[2]=nationalId",
                "--" + at + "signing.secret=not-a-standard-webhooks-secret",
                "--" + at + "signing.key-store.path=" + rsa,
                "--" + at + "signing.key-store.password=" + TestKeyStores.PASSWORD,
                "--" + at + "signing.key-store.alias=wrong");

        assertThatThrownBy(() -> hub.run(args))
                .rootCause()
                .hasMessageContaining("the partner configuration is invalid")
                .hasMessageContaining(at + "purposes: unknown purpose 'share-with-partner-nobody'")
                .hasMessageContaining(at + "attributes")
                .hasMessageContaining("shoeSize")
                .hasMessageContaining("nationalId")
                .hasMessageContaining(at + "url: must be https")
                .hasMessageContaining(at + "signing.secret: must start with whsec_")
                .hasMessageContaining(at + "signing.key-store: the key under alias 'wrong' is RSA; v1a signatures need Ed25519");
    }
}
