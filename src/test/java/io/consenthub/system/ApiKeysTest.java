package io.consenthub.system;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeysTest {

    @Test
    void aKeyConfiguredByItsSha256MatchesThePlaintextKey() {
        var keys = new ApiKeys(new ApiSettings(List.of(
                new ApiSettings.Key("billing", ApiRole.USER, null, ApiKeys.sha256("a-long-enough-secret-key-123"))), null));

        assertThat(keys.match("a-long-enough-secret-key-123")).contains(new ApiKeys.Holder("billing", ApiRole.USER, java.util.Set.of()));
        assertThat(keys.match("a-long-enough-secret-key-124")).isEmpty();
        assertThat(keys.match(null)).isEmpty();
    }

    @Test
    void badKeyConfigurationStopsStartUpWithEveryProblemNamed() {
        var settings = new ApiSettings(List.of(
                new ApiSettings.Key("short", ApiRole.ADMIN, "too-short", null),
                new ApiSettings.Key("bad-hash", ApiRole.ADMIN, null, "xyz"),
                new ApiSettings.Key(null, ApiRole.ADMIN, "a-long-enough-secret-key-123", null),
                new ApiSettings.Key("twice-a", ApiRole.USER, "the-same-long-secret-key-000", null),
                new ApiSettings.Key("twice-b", ApiRole.CRM, "the-same-long-secret-key-000", null)), null);

        assertThatThrownBy(() -> new ApiKeys(settings))
                .hasMessageContaining("'short': give sha256, or key (at least 24")
                .hasMessageContaining("'bad-hash': sha256 must be 64 hex")
                .hasMessageContaining("'null': name and role")
                .hasMessageContaining("'twice-b': the same key is configured twice");
    }

    @Test
    void withoutConfiguredKeysTheEmbeddedDefaultGeneratesOneKeyPerRoleOnceAndKeepsThemPrivate(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data/dev-api-keys.env");

        var first = new ApiKeys(new ApiSettings(List.of(), file.toString()));
        String text = Files.readString(file);
        var second = new ApiKeys(new ApiSettings(List.of(), file.toString()));

        assertThat(Files.readString(file)).isEqualTo(text);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        for (ApiRole role : ApiRole.values()) {
            String key = text.lines().filter(l -> l.startsWith(role.name() + "_KEY=")).findFirst().orElseThrow().substring(role.name().length() + 5);
            assertThat(key).hasSizeGreaterThanOrEqualTo(43);
            assertThat(first.match(key)).map(ApiKeys.Holder::role).contains(role);
            assertThat(second.match(key)).map(ApiKeys.Holder::role).contains(role);
        }
    }
}
