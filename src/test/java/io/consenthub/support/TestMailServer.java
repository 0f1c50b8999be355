package io.consenthub.support;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import java.util.Arrays;
import java.util.List;

/**
 * One real SMTP + IMAP server (GreenMail) on fixed loopback ports for the whole test JVM; every
 * {@link HubTest} hub sends to it. Tests purge it before they start and may stop and start it to
 * simulate an outage.
 */
public final class TestMailServer {

    public static final int SMTP_PORT = Integer.getInteger("consenthub.test.smtp-port", 3941);
    public static final int IMAP_PORT = Integer.getInteger("consenthub.test.imap-port", 3942);

    private static GreenMail server;

    private TestMailServer() {
    }

    public static synchronized GreenMail get() {
        if (server == null) {
            server = new GreenMail(new ServerSetup[] {
                    new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                    new ServerSetup(IMAP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)})
                    .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
            server.start();
        }
        return server;
    }

    public static synchronized void stop() {
        get().stop();
    }

    public static synchronized void restart() {
        get().start();
    }

    /** Mail received for one address, oldest first. */
    public static List<MimeMessage> receivedBy(String address) {
        return Arrays.stream(get().getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getAllRecipients()).anyMatch(a -> a.toString().equalsIgnoreCase(address));
            } catch (MessagingException e) {
                return false;
            }
        }).toList();
    }

    public static String header(MimeMessage message, String name) {
        try {
            String[] values = message.getHeader(name);
            return values == null ? null : values[0];
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
