package io.consenthub.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Finds email addresses in log output. Logs name contacts by id, so any address at all is a
 * finding — except the hub's own (its sender, its privacy contact and the Message-IDs it mints,
 * all at the hub's domain), which name no person.
 */
public final class PersonalDataInLogs {

    /** An address as people and CRMs write them: local part, @, a domain with at least one dot. */
    static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+");

    /** One address found: where, and which. */
    public record Finding(Path file, int line, String address) {
        @Override
        public String toString() {
            return file + ":" + line + " " + address;
        }
    }

    private final Set<String> hubDomains;

    public PersonalDataInLogs(Set<String> hubDomains) {
        this.hubDomains = hubDomains.stream().map(d -> d.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    /** Every address in the file that is not the hub's own; bytes that are not UTF-8 are read as replacement characters, not skipped. */
    public List<Finding> scan(Path file) {
        var findings = new ArrayList<Finding>();
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try (var lines = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder))) {
            String line;
            int number = 0;
            while ((line = lines.readLine()) != null) {
                number++;
                Matcher m = ADDRESS.matcher(line);
                while (m.find()) {
                    String address = m.group();
                    if (!hubDomains.contains(address.substring(address.indexOf('@') + 1).toLowerCase(Locale.ROOT))) {
                        findings.add(new Finding(file, number, address));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return findings;
    }
}
