package io.consenthub.support;

import java.util.ArrayList;
import java.util.List;

/**
 * The command-line arguments that start the real hub from a test that wants to see it refuse to
 * start: its own in-memory store, no dev mail server, test keys under {@code target/}, no demo CRM.
 * Command-line arguments outrank {@code config/application.yaml}, so nothing else leaks in.
 */
public final class StartUpArgs {

    private StartUpArgs() {
    }

    /** The base arguments plus the test's own, as {@code SpringApplication.run} takes them. */
    public static String[] embedded(String storeName, String... more) {
        var args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.datasource.url=jdbc:h2:mem:" + storeName + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "--consent-hub.dev-mail.enabled=false",
                "--consent-hub.email.inbound.enabled=false",
                "--consent-hub.email.smtp.port=" + Integer.getInteger("consenthub.test.smtp-port", 3941),
                "--consent-hub.crypto.kek=",
                "--consent-hub.signing.keyset-file=target/test-signing-keyset.json",
                "--consent-hub.crypto.key-store.url=",
                "--consent-hub.crypto.kek-file=target/test-kek.json",
                "--consent-hub.crypto.generate-kek=true",
                "--consent-hub.crm.connectors.demo-crm.enabled=false"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }
}
