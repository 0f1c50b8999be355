package io.consenthub.system;

import io.consenthub.ConsentHubApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hub whose port is taken stops: the whole application in a JVM of its own, as
 * {@code mvn spring-boot:run} starts it, with the dev SMTP (or HTTP) port held by this test. It must
 * exit non-zero within the bound and say in one line which port and which property to change.
 */
class StartupFailureTest {

    @TempDir
    Path work;

    @Test
    void aTakenDevSmtpPortEndsTheJvmNonZeroNamingThePortAndItsProperty() throws Exception {
        try (var taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            var run = startHub("--consent-hub.dev-mail.smtp-port=" + port, "--server.port=0");

            assertThat(run.exited()).as("the JVM exits (output: %s)", run.output()).isTrue();
            assertThat(run.exitCode()).isNotZero();
            assertThat(run.output()).containsPattern("127\\.0\\.0\\.1:" + port + ".*consent-hub\\.dev-mail\\.smtp-port");
        }
    }

    @Test
    void aTakenHttpPortEndsTheJvmNonZeroNamingThePortAndItsProperty() throws Exception {
        try (var taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            var run = startHub("--server.port=" + port, "--consent-hub.dev-mail.enabled=false");

            assertThat(run.exited()).as("the JVM exits (output: %s)", run.output()).isTrue();
            assertThat(run.exitCode()).isNotZero();
            assertThat(run.output()).containsPattern(port + ".*server\\.port.*CONSENT_HUB_PORT");
        }
    }

    private static int freePort() throws IOException {
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    record Run(boolean exited, int exitCode, String output) {
    }

    private Run startHub(String... args) throws IOException, InterruptedException {
        Path log = work.resolve("hub.log");
        var command = new ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-") || a.startsWith("-Dhazelcast")).forEach(command::add);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ConsentHubApplication.class.getName(),
                "--spring.datasource.url=jdbc:h2:mem:startup-failure;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "--consent-hub.crm.connectors.demo-crm.enabled=false",
                "--consent-hub.api.dev-key-file=" + work.resolve("keys.env"),
                "--consent-hub.crypto.kek-file=" + work.resolve("kek.json"),
                "--consent-hub.crypto.key-store.url=",
                "--consent-hub.email.inbound.enabled=false",
                "--consent-hub.dev-mail.imap-port=" + freePort()));
        command.addAll(List.of(args));
        Process hub = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean exited = hub.waitFor(90, TimeUnit.SECONDS);
        if (!exited) {
            hub.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        return new Run(exited, exited ? hub.exitValue() : -1, Files.readString(log));
    }
}
