package io.consenthub.consent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.consenthub.contact.ContactId;
import io.consenthub.crypto.ContactKeysAccess;
import io.consenthub.crypto.KeyEncryptionKey;
import io.consenthub.crypto.SigningKey;
import io.consenthub.crypto.SigningKeyAccess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** The ledger's parts wired by hand on a bare database, for tests of migrations and checkpoints (no Spring context). */
final class LedgerParts {

    final ConsentLedger ledger;
    final LedgerCheckpoints checkpoints;
    final io.consenthub.crypto.ContactKeys keys;
    final TransactionTemplate tx;

    LedgerParts(DataSource dataSource, KeyEncryptionKey kek) {
        this(dataSource, kek, SigningKeyAccess.freshKey());
    }

    LedgerParts(DataSource dataSource, KeyEncryptionKey kek, SigningKey key) {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        var store = new LedgerStore(jdbc, dataSource);
        this.checkpoints = new LedgerCheckpoints(jdbc, dataSource, key, new ObjectMapper(), Clock.systemUTC(),
                new CheckpointSettings(true, null, null, null), store, new SimpleMeterRegistry());
        this.keys = ContactKeysAccess.keys(jdbc, kek);
        this.ledger = new ConsentLedger(store, event -> { }, keys, new LedgerVerifier(dataSource, store, checkpoints), new ChainHeads());
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    /** Flyway on a bare database (or PostgreSQL schema, when {@code schema} is set) with the hub's migrations. */
    static org.flywaydb.core.api.configuration.FluentConfiguration flyway(DataSource dataSource, String schema) {
        var config = org.flywaydb.core.Flyway.configure().dataSource(dataSource).locations("classpath:db/migration");
        return schema == null ? config : config.defaultSchema(schema).schemas(schema);
    }

    /** The last migration before {@code version}, whatever it is numbered. */
    static org.flywaydb.core.api.MigrationVersion lastBefore(org.flywaydb.core.api.configuration.FluentConfiguration flyway,
                                                             String version) {
        return java.util.Arrays.stream(flyway.load().info().all())
                .map(org.flywaydb.core.api.MigrationInfo::getVersion)
                .filter(v -> v.isNewerThan("0") && !v.isAtLeast(version))
                .max(org.flywaydb.core.api.MigrationVersion::compareTo).orElseThrow();
    }

    /** A contact row, which the projection's foreign key needs. */
    static void insertContact(JdbcTemplate jdbc, ContactId id) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        jdbc.update("insert into contact (id, primary_email, email_key, attributes, created_at, updated_at, version) values (?, ?, ?, '{}', ?, ?, 0)",
                id.value(), id.value() + "@example.org", id.value() + "@example.org", now, now);
    }
}
