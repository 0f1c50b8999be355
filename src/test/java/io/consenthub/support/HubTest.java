package io.consenthub.support;

import org.springframework.boot.test.context.SpringBootTest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The whole hub on a random port, with the routes from {@code routes/} and the config from
 * {@code config/}, test API keys per role, no dev mail server or generated key file, and outbound
 * mail going to the shared {@link TestMailServer}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "consent-hub.api.dev-key-file=",
        "consent-hub.api.keys[0].name=test-admin",
        "consent-hub.api.keys[0].role=ADMIN",
        "consent-hub.api.keys[0].key=" + TestKeys.ADMIN,
        "consent-hub.api.keys[1].name=test-user",
        "consent-hub.api.keys[1].role=USER",
        "consent-hub.api.keys[1].key=" + TestKeys.USER,
        "consent-hub.api.keys[2].name=test-crm",
        "consent-hub.api.keys[2].role=CRM",
        "consent-hub.api.keys[2].key=" + TestKeys.CRM,
        "consent-hub.api.keys[3].name=test-webform",
        "consent-hub.api.keys[3].role=WEBFORM",
        "consent-hub.api.keys[3].sha256=290b6ce04f070c685af00b1a980c022f8f3d653bfd2cf03f4a118fc0127b78ea",
        "consent-hub.api.keys[4].name=test-billing",
        "consent-hub.api.keys[4].role=USER",
        "consent-hub.api.keys[4].key=" + TestKeys.BILLING,
        "consent-hub.api.keys[4].reveal[0]=cardNumber",
        "consent-hub.dev-mail.enabled=false",
        "consent-hub.crypto.kek=",
        "consent-hub.crypto.kek-file=target/test-kek.json",
        "consent-hub.crypto.generate-kek=true",
        "consent-hub.crypto.key-store.url=",
        "consent-hub.crm.connectors.demo-crm.enabled=false",
        "consent-hub.email.smtp.port=${consenthub.test.smtp-port:3941}",
        "consent-hub.email.inbound.port=${consenthub.test.imap-port:3942}",
        "consent-hub.email.inbound.enabled=false",
        "consent-hub.email.poll-period=200",
        "consent-hub.outbox.initial-backoff=200ms",
        "consent-hub.outbox.max-backoff=1s",
        "consent-hub.links.views-per-minute-per-ip=100000",
        "consent-hub.links.actions-per-minute-per-ip=100000",
        "consent-hub.preferences.notify-enabled=false"
})
public @interface HubTest {
}
