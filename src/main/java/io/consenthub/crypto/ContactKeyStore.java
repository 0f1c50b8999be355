package io.consenthub.crypto;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * Where the contact keys live. Crypto-shredding reaches backups only if the keys are not in them:
 * a backup of the hub's database taken before a contact's key was destroyed must not hold that key.
 * So the keys can live in a store of their own, {@code consent-hub.crypto.key-store.url} (its own
 * database, backed up on its own, short-lived schedule), migrated by Flyway from
 * {@code db/keystore}; statements there commit at once, so a key exists before any value sealed
 * under it is committed. With no URL the keys stay in the hub's database, as before.
 *
 * <p>When a separate store is configured over a database that still holds keys, they are moved
 * (copied, then deleted from the hub's database) at start-up.
 */
@Component
class ContactKeyStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ContactKeyStore.class);

    private final JdbcClient jdbc;
    private final HikariDataSource own;

    ContactKeyStore(CryptoSettings settings, JdbcClient hubDatabase) {
        CryptoSettings.KeyStore store = settings.keyStore();
        if (store == null || store.url() == null || store.url().isBlank()) {
            this.jdbc = hubDatabase;
            this.own = null;
            return;
        }
        this.own = new HikariDataSource();
        own.setJdbcUrl(store.url());
        own.setUsername(store.username());
        own.setPassword(store.password());
        own.setMaximumPoolSize(4);
        own.setPoolName("key-store");
        Flyway.configure().dataSource(own).locations("classpath:db/keystore").table("key_store_schema_history")
                .baselineOnMigrate(true).baselineVersion("0").load().migrate();
        this.jdbc = JdbcClient.create(own);
        moveFrom(hubDatabase);
    }

    JdbcClient jdbc() {
        return jdbc;
    }

    /** Whether the keys live apart from the hub's database. */
    boolean separate() {
        return own != null;
    }

    private void moveFrom(JdbcClient hubDatabase) {
        record Key(UUID contact, String wrapped, OffsetDateTime created, OffsetDateTime destroyed, Long kekId, int version) {
        }
        long moved = 0;
        while (true) {
            List<Key> page = hubDatabase.sql("select contact_id, wrapped_key, created_at, destroyed_at, kek_id, data_key_version "
                            + "from contact_key order by contact_id fetch first 1000 rows only")
                    .query((rs, n) -> new Key(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, OffsetDateTime.class),
                            rs.getObject(4, OffsetDateTime.class), (Long) rs.getObject(5, Long.class), rs.getInt(6)))
                    .list();
            if (page.isEmpty()) {
                break;
            }
            for (Key k : page) {
                jdbc.sql("""
                        insert into contact_key (contact_id, wrapped_key, created_at, destroyed_at, kek_id, data_key_version)
                        values (?, ?, ?, ?, ?, ?) on conflict do nothing""")
                        .params(k.contact(), k.wrapped(), k.created(), k.destroyed(), k.kekId(), k.version()).update();
                hubDatabase.sql("delete from contact_key where contact_id = ?").param(k.contact()).update();
            }
            moved += page.size();
        }
        if (moved > 0) {
            log.warn("Moved {} contact keys from the hub's database to the key store; backups of the hub's database taken before now"
                    + " still hold them: expire those backups to let crypto-shredding reach them", moved);
        }
    }

    @Override
    public void close() {
        if (own != null) {
            own.close();
        }
    }
}
