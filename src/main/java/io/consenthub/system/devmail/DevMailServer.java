package io.consenthub.system.devmail;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import io.consenthub.system.PortTakenException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An in-process SMTP server on 127.0.0.1 that keeps every mail it receives, so a newcomer can see
 * what the hub sends without a mail server. Started before the routes that send mail. Each mail is
 * written as it arrives to the store directory as an {@code .eml} file, and the mailbox page reads
 * from there, so it survives restarts; bodies are shown decoded ({@link MailText}). The IMAP
 * mailbox the hub reads replies from starts empty after a restart.
 */
@Component
@ConditionalOnProperty(name = "consent-hub.dev-mail.enabled", havingValue = "true")
public class DevMailServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DevMailServer.class);

    /** A received mail as the mailbox page shows it. */
    public record ReceivedMail(int index, String from, String to, String subject, Instant receivedAt, String body) {
    }

    private static final int SHOWN = 200;

    private final GreenMail greenMail;
    private final java.nio.file.Path store;
    private final java.util.concurrent.atomic.AtomicLong sequence = new java.util.concurrent.atomic.AtomicLong();
    private final int port;
    private final int imapPort;
    private volatile boolean running;

    DevMailServer(DevMailSettings settings) {
        this.port = settings.smtpPort();
        var setups = new java.util.ArrayList<ServerSetup>();
        setups.add(new ServerSetup(settings.smtpPort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        if (settings.imapPort() > 0) {
            setups.add(new ServerSetup(settings.imapPort(), "127.0.0.1", ServerSetup.PROTOCOL_IMAP));
        }
        this.imapPort = settings.imapPort();
        this.store = settings.storeDir().isEmpty() ? null : java.nio.file.Path.of(settings.storeDir());
        this.greenMail = new GreenMail(setups.toArray(ServerSetup[]::new))
                .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
    }

    /**
     * Checks each port before GreenMail binds it: GreenMail reports a taken port only as a start-up
     * time-out, and leaves the servers it did start running, which kept a failed hub's JVM alive.
     */
    @Override
    public void start() {
        claim("SMTP", port, "consent-hub.dev-mail.smtp-port (and consent-hub.email.smtp.port, environment CONSENT_HUB_SMTP_PORT)");
        if (imapPort > 0) {
            claim("IMAP", imapPort, "consent-hub.dev-mail.imap-port (and consent-hub.email.inbound.port, environment CONSENT_HUB_IMAP_PORT)");
        }
        try {
            greenMail.start();
        } catch (RuntimeException e) {
            greenMail.stop();
            throw e;
        }
        if (store != null) {
            keepEachMailIn(store);
        }
        running = true;
        log.info("Development mail server: SMTP on 127.0.0.1:{}, IMAP on 127.0.0.1:{} (any login); received mail is listed at /dev/mailbox",
                port, imapPort);
    }

    /** Writes each mail to the store as it is delivered, before GreenMail files it in a mailbox. */
    private void keepEachMailIn(java.nio.file.Path directory) {
        try {
            java.nio.file.Files.createDirectories(directory);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("consent-hub.dev-mail.store-dir " + directory + " cannot be created: " + e.getMessage(), e);
        }
        var users = greenMail.getUserManager();
        com.icegreen.greenmail.user.MessageDeliveryHandler delivery = users.getMessageDeliveryHandler();
        users.setMessageDeliveryHandler((message, recipient) -> {
            var user = delivery.handle(message, recipient);
            String name = "%013d-%06d.eml".formatted(System.currentTimeMillis(), sequence.incrementAndGet() % 1_000_000);
            try (var out = java.nio.file.Files.newOutputStream(directory.resolve(name))) {
                message.getMessage().writeTo(out);
            } catch (java.io.IOException e) {
                log.warn("dev mailbox: a received mail could not be written to {}: {}", directory, e.getMessage());
            }
            return user;
        });
    }

    private static void claim(String protocol, int port, String property) {
        try (var probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress("127.0.0.1", port));
        } catch (java.io.IOException e) {
            throw new PortTakenException("The development mail server (" + protocol + ")", "127.0.0.1:" + port, property, e);
        }
    }

    @Override
    public void stop() {
        greenMail.stop();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 100;
    }

    public int port() {
        return port;
    }

    /** Where received mail is kept; null when it is kept in memory only (lost on restart). */
    public String storeDir() {
        return store == null ? null : store.toString();
    }

    /** Newest first, at most the newest {@value #SHOWN}: from the store, or from memory without one. */
    public List<ReceivedMail> received() {
        if (store == null) {
            MimeMessage[] messages = greenMail.getReceivedMessages();
            return java.util.stream.IntStream.range(0, messages.length)
                    .mapToObj(i -> view(i, messages[i]))
                    .sorted(Comparator.comparing(ReceivedMail::index).reversed())
                    .limit(SHOWN)
                    .toList();
        }
        List<java.nio.file.Path> files;
        try (var listing = java.nio.file.Files.list(store)) {
            files = listing.filter(f -> f.getFileName().toString().endsWith(".eml")).sorted().toList();
        } catch (java.io.IOException e) {
            return List.of();
        }
        var session = jakarta.mail.Session.getInstance(new java.util.Properties());
        var mails = new java.util.ArrayList<ReceivedMail>();
        for (int i = files.size() - 1; i >= 0 && mails.size() < SHOWN; i--) {
            try (var in = java.nio.file.Files.newInputStream(files.get(i))) {
                mails.add(view(i, new MimeMessage(session, in)));
            } catch (java.io.IOException | MessagingException e) {
                mails.add(new ReceivedMail(i, "?", "?", "(unreadable message " + files.get(i).getFileName() + ")", null, ""));
            }
        }
        return mails;
    }

    private static ReceivedMail view(int index, MimeMessage message) {
        try {
            Instant at = message.getSentDate() == null ? null : message.getSentDate().toInstant();
            return new ReceivedMail(index, addresses(message.getFrom()), addresses(message.getAllRecipients()),
                    message.getSubject(), at, MailText.of(message));
        } catch (MessagingException e) {
            return new ReceivedMail(index, "?", "?", "(unreadable message: " + e.getMessage() + ")", null, "");
        }
    }

    private static String addresses(Address[] addresses) {
        return addresses == null ? "" : Arrays.stream(addresses).map(Address::toString).collect(Collectors.joining(", "));
    }
}
