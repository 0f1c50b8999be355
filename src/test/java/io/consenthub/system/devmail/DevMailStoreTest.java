package io.consenthub.system.devmail;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dev mail server shows what a person would read — quoted-printable, base64 and charsets decoded,
 * the plain alternative of a multipart mail — and keeps mail across a restart in its store directory.
 */
class DevMailStoreTest {

    private static final int SMTP = 4035;

    @TempDir
    Path store;

    private static MimeMessage multipart() throws Exception {
        var props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(SMTP));
        var message = new MimeMessage(Session.getInstance(props));
        message.setFrom(new InternetAddress("hub@example.org"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress("jorg@example.org"));
        message.setSubject("Bitte bestätigen", "UTF-8");
        var plain = new MimeBodyPart();
        plain.setText("Grüße, Jörg! Bitte bestätigen Sie: http://localhost:8080/confirm/double-opt-in/abc?x=1&y=" + "z".repeat(90), "UTF-8");
        plain.setHeader("Content-Transfer-Encoding", "quoted-printable");
        var html = new MimeBodyPart();
        html.setText("<p>Grüße in HTML</p>", "UTF-8", "html");
        html.setHeader("Content-Transfer-Encoding", "base64");
        var attachment = new MimeBodyPart();
        attachment.setText("x", "UTF-8");
        attachment.setFileName("terms.txt");
        attachment.setDisposition(jakarta.mail.Part.ATTACHMENT);
        var alternativePart = new MimeBodyPart();
        alternativePart.setContent(new MimeMultipart("alternative", plain, html));
        message.setContent(new MimeMultipart("mixed", alternativePart, attachment));
        return message;
    }

    @Test
    void bodiesAreDecodedAndMailSurvivesARestart() throws Exception {
        var settings = new DevMailSettings(true, SMTP, 0, store.toString());
        var server = new DevMailServer(settings);
        server.start();
        try {
            Transport.send(multipart());
            await().atMost(Duration.ofSeconds(10)).until(() -> server.received().size() == 1);
            String body = server.received().get(0).body();
            assertThat(body).contains("Grüße, Jörg! Bitte bestätigen Sie: http://localhost:8080/confirm/double-opt-in/abc?x=1&y=zzz")
                    .contains("[attachment: terms.txt]")
                    .doesNotContain("=C3").doesNotContain("=\r\n").doesNotContain("Grüße in HTML");
            assertThat(server.received().get(0).subject()).isEqualTo("Bitte bestätigen");
        } finally {
            server.stop();
        }

        var restarted = new DevMailServer(settings);
        restarted.start();
        try {
            assertThat(restarted.received()).singleElement()
                    .satisfies(mail -> assertThat(mail.body()).contains("Grüße, Jörg!"));
        } finally {
            restarted.stop();
        }
    }
}
