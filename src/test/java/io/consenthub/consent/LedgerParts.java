package io.consenthub.consent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.consenthub.crypto.ContactKeysAccess;
import io.consenthub.crypto.KeyEncryptionKey;
import io.consenthub.crypto.SigningKey;
import io.consenthub.crypto.SigningKeyAccess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.time.Clock;

/** The ledger's parts wired by hand on a bare database, for the migration tests (no Spring context). */
final class LedgerParts {

    final ConsentLedger ledger;
    final LedgerCheckpoints checkpoints;

    LedgerParts(DataSource dataSource, KeyEncryptionKey kek) {
        this(dataSource, kek, SigningKeyAccess.freshKey());
    }

    LedgerParts(DataSource dataSource, KeyEncryptionKey kek, SigningKey key) {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        var store = new LedgerStore(jdbc, dataSource);
        this.checkpoints = new LedgerCheckpoints(jdbc, dataSource, key, new ObjectMapper(), Clock.systemUTC(),
                new CheckpointSettings(true, null, null, null), store, new SimpleMeterRegistry());
        this.ledger = new ConsentLedger(store, event -> { }, ContactKeysAccess.keys(jdbc, kek),
                new LedgerVerifier(dataSource, store, checkpoints));
    }
}
