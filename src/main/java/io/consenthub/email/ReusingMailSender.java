package io.consenthub.email;

import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import org.apache.camel.component.mail.DefaultJavaMailSender;
import org.springframework.beans.factory.DisposableBean;

import java.util.Date;

/**
 * Keeps one SMTP connection open across messages instead of opening one per message: a new SMTP
 * connection costs tens of milliseconds, a message on an open one well under one (DESIGN §6), which
 * decides how fast a campaign goes out. A connection found dead when reused is replaced once; a
 * message the server refused outright is never retried here.
 */
public class ReusingMailSender extends DefaultJavaMailSender implements DisposableBean {

    private Transport transport;

    @Override
    public synchronized void send(MimeMessage message) throws MessagingException {
        if (message.getSentDate() == null) {
            message.setSentDate(new Date());
        }
        message.saveChanges();
        boolean reused = transport != null && transport.isConnected();
        try {
            refuseUtf8WithoutSmtpUtf8(connection(), message);
            connection().sendMessage(message, message.getAllRecipients());
        } catch (SmtpUtf8UnsupportedException refused) {
            throw refused;
        } catch (SendFailedException refused) {
            throw refused;
        } catch (MessagingException e) {
            close();
            if (!reused) {
                throw e;
            }
            connection().sendMessage(message, message.getAllRecipients());
        }
    }

    /** A UTF-8 local part goes only to a server that announced SMTPUTF8 in its EHLO answer (RFC 6531). */
    private static void refuseUtf8WithoutSmtpUtf8(Transport transport, MimeMessage message) throws MessagingException {
        jakarta.mail.Address[] recipients = message.getAllRecipients();
        boolean utf8 = recipients != null && java.util.Arrays.stream(recipients).anyMatch(a -> a.toString().chars().anyMatch(c -> c >= 128));
        if (utf8 && !(transport instanceof org.eclipse.angus.mail.smtp.SMTPTransport smtp && smtp.supportsExtension("SMTPUTF8"))) {
            throw new SmtpUtf8UnsupportedException();
        }
    }

    private Transport connection() throws MessagingException {
        if (transport == null || !transport.isConnected()) {
            transport = getTransport(getSession());
            String user = getUsername() == null || getUsername().isBlank() ? null : getUsername();
            transport.connect(getHost(), getPort(), user, user == null ? null : getPassword());
        }
        return transport;
    }

    private void close() {
        if (transport != null) {
            try {
                transport.close();
            } catch (MessagingException e) {
                // the connection is being replaced because it failed; closing it can fail too
            }
            transport = null;
        }
    }

    @Override
    public synchronized void destroy() {
        close();
    }
}
