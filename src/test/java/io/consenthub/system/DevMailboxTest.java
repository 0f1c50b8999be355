package io.consenthub.system;

import io.consenthub.support.ApiClient;
import io.consenthub.support.HubTest;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded SMTP server takes real SMTP and the dev mailbox page lists what it received, escaped. */
@HubTest
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:h2:mem:dev-mailbox;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1",
        "consent-hub.dev-mail.enabled=true",
        "consent-hub.dev-mail.store-dir=target/dev-mailbox-test"
})
class DevMailboxTest {

    /** Free ports chosen at run time, so parallel test runs on one machine never collide. */
    private static final int SMTP = freePort();
    private static final int IMAP = freePort();

    @DynamicPropertySource
    static void ports(DynamicPropertyRegistry registry) {
        registry.add("consent-hub.dev-mail.smtp-port", () -> SMTP);
        registry.add("consent-hub.dev-mail.imap-port", () -> IMAP);
    }

    private static int freePort() {
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @LocalServerPort
    int port;

    @Test
    void mailSentOverSmtpAppearsOnTheMailboxPageAsText() throws Exception {
        var props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(SMTP));
        var message = new MimeMessage(Session.getInstance(props));
        message.setFrom(new InternetAddress("hub@example.org"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress("anna@example.org"));
        message.setSubject("Please confirm <b>your</b> subscription");
        message.setText("Click the link to confirm.");
        Transport.send(message);

        var page = new ApiClient(port).get("/dev/mailbox", null);

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).contains("Please confirm &lt;b&gt;your&lt;/b&gt; subscription")
                .contains("anna@example.org").contains("Click the link to confirm.");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp).contains("default-src 'self'"));
    }
}
