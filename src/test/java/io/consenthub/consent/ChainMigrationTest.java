package io.consenthub.consent;

import io.consenthub.contact.ContactId;
import io.consenthub.crypto.ContactKeysAccess;
import io.consenthub.crypto.KeyEncryptionKey;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Migration 20.1 on a database built at the schema before it, holding a ledger written as one global
 * chain under the ledger head: a chain that verifies becomes one chain per contact, numbered in the
 * old order, that verifies, takes new appends and is sealed by the first checkpoint; a tampered one
 * stops the migration. H2 and PostgreSQL subclasses.
 */
abstract class ChainMigrationTest {

    private DataSource dataSource;
    private JdbcTemplate jdbc;
    private KeyEncryptionKey kek;
    private final ContactId anna = ContactId.random();
    private final ContactId bo = ContactId.random();

    abstract DataSource freshDatabase();

    abstract String schema();

    @BeforeEach
    void globalLedger() {
        dataSource = freshDatabase();
        jdbc = new JdbcTemplate(dataSource);
        kek = ContactKeysAccess.testKek();
        flyway().target(versionBefore20()).javaMigrations(new LedgerEvidenceMigration(kek)).load().migrate();
        insertContact(anna);
        insertContact(bo);
        String previous = EventHash.GENESIS;
        previous = appendGlobally(1, anna, "email-opt-in", "SINGLE_OPT_IN_USER", "NONE", previous);
        previous = appendGlobally(2, bo, "newsletter", "GRANTED", null, previous);
        previous = appendGlobally(3, anna, "newsletter", "GRANTED", null, previous);
        previous = appendGlobally(4, anna, "newsletter", "REVOKED", "GRANTED", previous);
        previous = appendGlobally(5, bo, "email-opt-in", "SINGLE_OPT_IN_USER", "NONE", previous);
        jdbc.update("update ledger_head set last_seq = 5, last_hash = ? where id = 1", previous);
        project(anna, "email-opt-in", "SINGLE_OPT_IN_USER", 1);
        project(bo, "newsletter", "GRANTED", 2);
        project(anna, "newsletter", "REVOKED", 4);
        project(bo, "email-opt-in", "SINGLE_OPT_IN_USER", 5);
    }

    @Test
    void aVerifiedGlobalLedgerBecomesOneVerifiedChainPerContactThatTakesAppendsAndIsSealed() {
        flyway().javaMigrations(new LedgerEvidenceMigration(kek), new ChainMigration()).load().migrate();

        assertThat(jdbc.queryForList("select contact_seq from consent_event where contact_id = ? order by seq", Long.class, anna.value()))
                .containsExactly(1L, 2L, 3L);
        assertThat(jdbc.queryForList("select contact_seq from consent_event where contact_id = ? order by seq", Long.class, bo.value()))
                .containsExactly(1L, 2L);
        var parts = new LedgerParts(dataSource, kek);
        LedgerVerification verification = parts.ledger.verify();
        assertThat(verification.problems()).isEmpty();
        assertThat(verification.eventsChecked()).isEqualTo(5);
        assertThat(verification.contactsChecked()).isEqualTo(2);

        var tx = parts.tx;
        ConsentEvent appended = tx.execute(s -> parts.ledger.append(new ConsentChange(bo, EventType.CONSENT_REVOKED, "newsletter",
                "REVOKED", "GRANTED", new Evidence(ActorKind.USER, "test-user", "api", Instant.now(), null, null, null, null))));
        assertThat(appended.seq()).isGreaterThan(5);
        assertThat(appended.contactSeq()).isEqualTo(3);
        LedgerCheckpoint first = tx.execute(s -> parts.checkpoints.sealNow()).orElseThrow();
        assertThat(first.id()).isEqualTo(1);
        assertThat(first.chains()).isEqualTo(2);
        assertThat(first.events()).isEqualTo(6);
        LedgerVerification sealed = parts.ledger.verify();
        assertThat(sealed.problems()).isEmpty();
        assertThat(sealed.checkpoint()).isEqualTo(1);
    }

    @Test
    void aTamperedGlobalLedgerStopsTheMigrationAndStaysAsItWas() {
        jdbc.update("update consent_event set new_value = 'DOUBLE_OPT_IN' where seq = 5");

        assertThatThrownBy(() -> flyway().javaMigrations(new LedgerEvidenceMigration(kek), new ChainMigration()).load().migrate())
                .isInstanceOf(FlywayException.class)
                .rootCause()
                .hasMessageContaining("refuses to re-chain the consent ledger per contact because it does not verify")
                .hasMessageContaining("seq 5");
        assertThat(jdbc.queryForObject("select count(*) from flyway_schema_history where version = '20.1' and success", Integer.class))
                .isZero();
        assertThat(jdbc.queryForObject("select count(*) from consent_event where contact_seq is not null", Integer.class)).isZero();
    }

    private org.flywaydb.core.api.configuration.FluentConfiguration flyway() {
        return LedgerParts.flyway(dataSource, schema());
    }

    private MigrationVersion versionBefore20() {
        return LedgerParts.lastBefore(flyway().javaMigrations(new LedgerEvidenceMigration(kek)), "20");
    }

    private void insertContact(ContactId id) {
        LedgerParts.insertContact(jdbc, id);
    }

    private void project(ContactId contact, String subject, String value, long seq) {
        jdbc.update("insert into consent_state (contact_id, subject, state_value, updated_at, event_seq) values (?, ?, ?, ?, ?)",
                contact.value(), subject, value, OffsetDateTime.now(ZoneOffset.UTC), seq);
    }

    /** One row as the single-chain ledger wrote it: linked to the previous row of any contact. */
    private String appendGlobally(long seq, ContactId contact, String subject, String value, String previous, String prevHash) {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        EventType type = subject.equals("email-opt-in") ? EventType.OPT_IN_STATUS_CHANGED
                : value.equals("GRANTED") ? EventType.CONSENT_GRANTED : EventType.CONSENT_REVOKED;
        var evidence = new Evidence(ActorKind.USER, "test-user", "api", at, null, null, "proof-" + seq, null);
        var event = new ConsentEvent(seq, UUID.randomUUID(), contact, type, subject, value, previous, evidence, prevHash, null);
        String hash = EventHash.of(event, prevHash);
        jdbc.update("insert into consent_event (" + LedgerStore.V15_EVENT_COLUMNS
                        + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                seq, event.eventId(), contact.value(), type.name(), subject, value, previous, "USER", "test-user", "api",
                OffsetDateTime.ofInstant(at, ZoneOffset.UTC), null, null, "proof-" + seq, null, prevHash, hash,
                null, null, null, null, null);
        return hash;
    }
}
