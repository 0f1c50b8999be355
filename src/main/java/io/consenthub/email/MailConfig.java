package io.consenthub.email;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.Properties;

/**
 * The SMTP sender of the delivery route: one reused connection, and JavaMail timeouts so an outage
 * fails fast instead of hanging.
 */
@Configuration(proxyBeanMethods = false)
class MailConfig {

    @Bean
    ReusingMailSender smtpSender(MailSettings settings, Properties smtpMailProperties) {
        var sender = new ReusingMailSender();
        MailSettings.Smtp smtp = settings.smtp();
        sender.setHost(smtp.host());
        sender.setPort(smtp.port());
        sender.setUsername(smtp.username());
        sender.setPassword(smtp.password());
        sender.setProtocol("smtp");
        sender.setJavaMailProperties(smtpMailProperties);
        return sender;
    }

    @Bean
    Properties smtpMailProperties(MailSettings settings) {
        MailSettings.Smtp smtp = settings.smtp();
        var props = new Properties();
        Duration connect = smtp == null || smtp.connectTimeout() == null ? Duration.ofSeconds(5) : smtp.connectTimeout();
        Duration timeout = smtp == null || smtp.timeout() == null ? Duration.ofSeconds(20) : smtp.timeout();
        props.setProperty("mail.smtp.connectiontimeout", String.valueOf(connect.toMillis()));
        props.setProperty("mail.smtp.timeout", String.valueOf(timeout.toMillis()));
        props.setProperty("mail.smtp.writetimeout", String.valueOf(timeout.toMillis()));
        boolean auth = smtp != null && smtp.username() != null && !smtp.username().isBlank();
        props.setProperty("mail.smtp.auth", String.valueOf(auth));
        props.setProperty("mail.smtp.starttls.enable", String.valueOf(smtp != null && smtp.starttls()));
        props.setProperty("mail.smtp.starttls.required", String.valueOf(smtp != null && smtp.starttls()));
        // UTF-8 addresses (RFC 6531) are sent with SMTPUTF8 where the server offers it; ReusingMailSender refuses them elsewhere.
        props.setProperty("mail.mime.allowutf8", "true");
        return props;
    }
}
