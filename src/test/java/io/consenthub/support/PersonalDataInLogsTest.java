package io.consenthub.support;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PersonalDataInLogsTest {

    private final PersonalDataInLogs scan = new PersonalDataInLogs(Set.of("consent-hub.local"));

    @Test
    void anAddressAnywhereInALineIsFoundWithItsLine(@TempDir Path dir) throws IOException {
        Path log = Files.writeString(dir.resolve("run.log"), """
                12:00:01 INFO contact 4f1c… created
                12:00:02 INFO UserManager : Created user login Anna.Andersson@Example.com for address anna.andersson@example.com
                12:00:03 WARN CRM demo-crm record 101 rejected: email: not a valid email address (local@domain)
                """);
        assertThat(scan.scan(log)).extracting(PersonalDataInLogs.Finding::line, PersonalDataInLogs.Finding::address)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2, "Anna.Andersson@Example.com"),
                        org.assertj.core.groups.Tuple.tuple(2, "anna.andersson@example.com"));
    }

    @Test
    void theHubsOwnAddressesAndMessageIdsAreNotPersonalData(@TempDir Path dir) throws IOException {
        Path log = Files.writeString(dir.resolve("run.log"), """
                WARN email <409c1a08-a6fa-49d7-b742-24afd9d145ac@consent-hub.local> attempt 1 failed
                INFO sending as hub@Consent-Hub.local
                """);
        assertThat(scan.scan(log)).isEmpty();
    }

    @Test
    void bytesThatAreNotUtf8DoNotHideAnAddress(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("run.log");
        byte[] bad = {(byte) 0xC3, (byte) 0x28, ' '};
        Files.write(log, concat(bad, "bo.berg@example.com\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(scan.scan(log)).extracting(PersonalDataInLogs.Finding::address).containsExactly("bo.berg@example.com");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
