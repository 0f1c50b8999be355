package io.consenthub.support;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.awaitility.Awaitility;

import java.time.Duration;
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
            // GreenMail logs each mailbox it creates by address at INFO; config/application.yaml turns it
            // down for the hub, this for a server started before any hub has set logging up.
            ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("com.icegreen.greenmail"))
                    .setLevel(ch.qos.logback.classic.Level.WARN);
            server = new GreenMail(new ServerSetup[] {
                    new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                    new ServerSetup(IMAP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)})
                    .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
            server.start();
        }
        return server;
    }

    /**
     * Stops both servers and waits until every client connection's thread has ended. GreenMail ends
     * a connection cut under it (the hub's IMAP reader's, say) by throwing from that thread, and
     * Awaitility fails whatever wait is running at that moment with any uncaught exception: waiting
     * here, without catching them, keeps the outage's own noise out of the test's assertions.
     */
    public static synchronized void stop() {
        get().stop();
        Awaitility.await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(10))
                .until(() -> Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(t -> t.isAlive() && isConnectionThread(t.getName())));
    }

    /** GreenMail names a connection's thread {@code <protocol>:<host>:<port><-<client>:<port>}. */
    private static boolean isConnectionThread(String name) {
        return name.contains("<-") && (name.contains(":" + SMTP_PORT + "<-") || name.contains(":" + IMAP_PORT + "<-"));
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
