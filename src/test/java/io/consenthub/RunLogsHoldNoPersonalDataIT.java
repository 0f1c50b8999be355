package io.consenthub;

import io.consenthub.support.PersonalDataInLogs;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Run by failsafe after every other test of {@code mvn verify}: the log output of the whole run —
 * every test class's output (surefire writes it to {@code target/surefire-reports/*-output.txt}),
 * the logs of the hub processes the cluster tests start and the logs tests captured — holds no
 * email address but the hub's own, and in particular none of the demo CRM's contacts. Logs name
 * contacts by id; a library that logs addresses (GreenMail does, at INFO) is turned down in
 * {@code config/application.yaml}.
 */
class RunLogsHoldNoPersonalDataIT {

    private static final Path TARGET = Path.of("target");
    private static final Pattern DEMO_ADDRESS = Pattern.compile("'([A-Za-z0-9._%+-]+@example\\.com)'");

    private static List<Path> runLogs() throws IOException {
        var logs = new ArrayList<Path>();
        try (Stream<Path> reports = Files.list(TARGET.resolve("surefire-reports"))) {
            reports.filter(p -> p.getFileName().toString().endsWith("-output.txt")).forEach(logs::add);
        }
        try (Stream<Path> files = Files.walk(TARGET)) {
            files.filter(p -> p.getFileName().toString().endsWith(".log") && Files.isRegularFile(p)).forEach(logs::add);
        }
        return logs;
    }

    static List<String> demoAddresses() throws IOException {
        String demo = Files.readString(Path.of("src/main/resources/demo-crm/vtiger-demo.sql"));
        var addresses = new ArrayList<String>();
        DEMO_ADDRESS.matcher(demo).results().forEach(m -> addresses.add(m.group(1).toLowerCase(Locale.ROOT)));
        return addresses;
    }

    @Test
    void noLogOfTheWholeRunHoldsAnEmailAddressButTheHubsOwn() throws IOException {
        List<Path> logs = runLogs();
        long bytes = 0;
        for (Path log : logs) {
            bytes += Files.size(log);
        }
        assertThat(logs).as("the run's logs are where this scan looks (run it with mvn verify, after the tests)").hasSizeGreaterThan(20);
        assertThat(bytes).as("bytes of log output scanned").isGreaterThan(1_000_000);

        var scan = new PersonalDataInLogs(Set.of("consent-hub.local"));
        var findings = new ArrayList<PersonalDataInLogs.Finding>();
        List<String> demo = demoAddresses();
        var demoFound = new ArrayList<String>();
        for (Path log : logs) {
            findings.addAll(scan.scan(log));
            String text = Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            demo.stream().filter(text::contains).forEach(address -> demoFound.add(log + ": " + address));
        }
        assertThat(demoFound).as("demo contacts' addresses in the run's logs").isEmpty();
        assertThat(findings.stream().limit(50).map(Object::toString).toList())
                .as(findings.size() + " email address(es) in the run's logs; the first 50").isEmpty();
    }

    @Test
    void theDemoContactsAreWhatTheScanLooksFor() throws IOException {
        List<String> demo = demoAddresses();
        assertThat(demo).as("the demo CRM's addresses").hasSizeGreaterThan(20).contains("bo.berg@example.com");
    }
}
