package io.consenthub.crypto;

import io.consenthub.contact.ContactId;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Per-contact keys on H2 (the PostgreSQL twin is {@code ContactKeysOnPostgresTest}). */
class ContactKeysTest {

    ContactKeys keys;
    JdbcClient jdbc;

    DataSource database() {
        var h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:keys-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        h2.setUser("sa");
        return h2;
    }

    String schema() {
        return null;
    }

    @BeforeEach
    void store() {
        DataSource ds = database();
        var config = Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("17");
        (schema() == null ? config : config.defaultSchema(schema()).schemas(schema())).load().migrate();
        jdbc = JdbcClient.create(ds);
        keys = ContactKeysAccess.keys(jdbc, ContactKeysAccess.testKek());
    }

    @Test
    void aValueEncryptedForAContactDecryptsOnlyInTheSameContactAndContext() {
        var anna = ContactId.random();
        var bo = ContactId.random();
        String sealed = keys.encrypt(anna, "event-1/ip", "203.0.113.9");
        keys.encrypt(bo, "event-2/ip", "x");

        assertThat(sealed).doesNotContain("203.0.113.9");
        assertThat(keys.decrypt(anna, "event-1/ip", sealed)).contains("203.0.113.9");
        assertThat(keys.decrypt(anna, "event-1/note", sealed)).as("other column").isEmpty();
        assertThat(keys.decrypt(anna, "event-9/ip", sealed)).as("other event").isEmpty();
        assertThat(keys.decrypt(bo, "event-1/ip", sealed)).as("other contact").isEmpty();
    }

    @Test
    void aDestroyedKeyNoLongerDecryptsAndIsNotRecreated() {
        var anna = ContactId.random();
        String sealed = keys.encrypt(anna, "e/note", "called");

        keys.destroy(anna);

        assertThat(keys.decrypt(anna, "e/note", sealed)).isEmpty();
        assertThat(keys.forReading(List.of(anna)).destroyed(anna)).isTrue();
        assertThat(keys.encrypt(anna, "e2/note", "after erasure")).as("nothing new is kept").isNull();
        assertThat(jdbc.sql("select count(*) from contact_key where contact_id = ? and wrapped_key is null").param(anna.value())
                .query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void destroyingAContactThatNeverHadAKeyLeavesATombstone() {
        var never = ContactId.random();

        keys.destroy(never);

        assertThat(keys.encrypt(never, "e/ip", "1.2.3.4")).isNull();
    }

    @Test
    void oneBatchFetchesAndCreatesTheKeysOfAllItsContactsAtOnce() {
        var contacts = java.util.stream.Stream.generate(ContactId::random).limit(1_500).toList();

        KeyRing ring = keys.forWriting(contacts);

        assertThat(jdbc.sql("select count(*) from contact_key").query(Integer.class).single()).isEqualTo(1_500);
        String sealed = ring.seal(contacts.get(1_234), "c", "v");
        assertThat(keys.forReading(List.of(contacts.get(1_234))).open(contacts.get(1_234), "c", sealed)).contains("v");
    }

    @Test
    void keysCreatedAtOnceByTwoCallersAreOneKey() throws Exception {
        var anna = ContactId.random();
        var other = ContactKeysAccess.keys(jdbc, ContactKeysAccess.testKek());
        var pool = Executors.newFixedThreadPool(2);
        try {
            Callable<String> first = () -> keys.encrypt(anna, "a", "one");
            Callable<String> second = () -> other.encrypt(anna, "b", "two");
            var a = pool.submit(first);
            var b = pool.submit(second);
            String sealedA = a.get();
            String sealedB = b.get();
            assertThat(other.decrypt(anna, "a", sealedA)).contains("one");
            assertThat(keys.decrypt(anna, "b", sealedB)).contains("two");
        } finally {
            pool.shutdownNow();
        }
        assertThat(jdbc.sql("select count(*) from contact_key where contact_id = ?").param(anna.value()).query(Integer.class).single()).isEqualTo(1);
    }

    @Test
    void aMissingKekStopsStartUpWithOneMessageSayingWhereToPutIt() {
        Path missing = Path.of("target", "no-such-kek-" + UUID.randomUUID() + ".json");

        assertThatThrownBy(() -> new KeyEncryptionKey(new CryptoSettings(null, missing.toString(), false, null)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No key-encryption keyset (KEK)")
                .hasMessageContaining("does not exist")
                .hasMessageContaining("CONSENT_HUB_KEK");
        assertThatThrownBy(() -> new KeyEncryptionKey(new CryptoSettings("", "", false, null)))
                .hasMessageContaining("neither consent-hub.crypto.kek (CONSENT_HUB_KEK) nor consent-hub.crypto.kek-file");
        assertThat(missing).doesNotExist();
    }

    @Test
    void aKekThatIsNotAKeysetIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> new KeyEncryptionKey(new CryptoSettings("{\"secret\":\"s3cr3t-material\"}", null, false, null)))
                .hasMessageContaining("does not hold a Tink keyset")
                .message().doesNotContain("s3cr3t-material");
    }

    @Test
    void theEmbeddedDefaultGeneratesAnOwnerOnlyKekFileOnce() throws Exception {
        Path file = Path.of("target", "kek-" + UUID.randomUUID(), "kek.json");

        new KeyEncryptionKey(new CryptoSettings(null, file.toString(), true, null));
        String first = Files.readString(file);
        new KeyEncryptionKey(new CryptoSettings(null, file.toString(), true, null));

        assertThat(Files.readString(file)).isEqualTo(first);
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
    }

    @Test
    void aKeyWrappedForOneContactDoesNotOpenForAnother() {
        var kek = ContactKeysAccess.testKek();
        String wrapped = kek.newWrappedKey(ContactId.random());

        assertThatThrownBy(() -> kek.open(ContactId.random(), wrapped)).hasMessageContaining("does not open with the configured KEK");
    }
}
