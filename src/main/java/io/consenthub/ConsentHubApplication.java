package io.consenthub;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Consent Hub: sits beside existing CRMs and gives them GDPR consent management.
 * Routes live in {@code routes/} on the file system so integration engineers can adapt them
 * without rebuilding; the rules they call live in the feature packages below this one.
 */
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
public class ConsentHubApplication {

    /**
     * A failed start-up ends the JVM with a non-zero status. Spring Boot has already logged why (the
     * failure analysis); a library thread left running (a mail server's, Hazelcast's) must not keep a
     * hub that answers nothing alive.
     */
    public static void main(String[] args) {
        try {
            SpringApplication.run(ConsentHubApplication.class, args);
        } catch (Throwable startupFailure) {
            System.exit(1);
        }
    }
}
