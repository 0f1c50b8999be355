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
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Migration 12.1 on a database built at the schema before it, holding a ledger written the old
 * way (evidence in plaintext, hashed in plaintext): a chain that verifies is encrypted and
 * re-chained and still verifies; a tampered one stops the migration. H2 and PostgreSQL subclasses.
 */
abstract class LedgerEvidenceMigrationTest {

    private static final String IP = "198.51.100.23";
    private static final String AGENT = "Mozilla/5.0 (before-encryption)";
    private static final String NOTE = "asked at the fair, wrote from old-ledger@example.org";

    private DataSource dataSource;
    private JdbcTemplate jdbc;
    private KeyEncryptionKey kek;
    private final ContactId anna = ContactId.random();
    private final ContactId bo = ContactId.random();

    /** A fresh, empty database (or schema) for one test. */
    abstract DataSource freshDatabase();

    abstract String schema();

    @BeforeEach
    void oldLedger() {
        dataSource = freshDatabase();
        jdbc = new JdbcTemplate(dataSource);
        kek = ContactKeysAccess.testKek();
        flyway().target(versionBefore12()).load().migrate();
        insertContact(anna);
        insertContact(bo);
        String previous = EventHash.GENESIS;
        previous = appendTheOldWay(1, anna, "email-opt-in", "SINGLE_OPT_IN_USER", "NONE", IP, AGENT, NOTE, previous);
        previous = appendTheOldWay(2, bo, "newsletter", "GRANTED", null, "192.0.2.1", AGENT, null, previous);
        previous = appendTheOldWay(3, anna, "newsletter", "REVOKED", null, null, null, "by phone", previous);
        jdbc.update("update ledger_head set last_seq = 3, last_hash = ? where id = 1", previous);
        jdbc.update("insert into consent_state (contact_id, subject, state_value, updated_at, event_seq) values (?, 'email-opt-in', 'SINGLE_OPT_IN_USER', ?, 1)",
                anna.value(), OffsetDateTime.now(ZoneOffset.UTC));
        jdbc.update("insert into consent_state (contact_id, subject, state_value, updated_at, event_seq) values (?, 'newsletter', 'GRANTED', ?, 2)",
                bo.value(), OffsetDateTime.now(ZoneOffset.UTC));
        jdbc.update("insert into consent_state (contact_id, subject, state_value, updated_at, event_seq) values (?, 'newsletter', 'REVOKED', ?, 3)",
                anna.value(), OffsetDateTime.now(ZoneOffset.UTC));
        assertThat(oldChainVerifies()).as("the old ledger verifies before the migration").isTrue();
    }

    @Test
    void aVerifiedPlaintextLedgerIsEncryptedAndRechainedAndStillVerifies() {
        String oldHead = jdbc.queryForObject("select last_hash from ledger_head", String.class);

        flyway().javaMigrations(new LedgerEvidenceMigration(kek), new ChainMigration()).load().migrate();

        LedgerVerification verification = ledger().verify();
        assertThat(verification.ok()).as(verification.problems().toString()).isTrue();
        assertThat(verification.eventsChecked()).isEqualTo(3);
        assertThat(jdbc.queryForList("select hash from consent_event", String.class)).doesNotContain(oldHead);
        String raw = String.join(" ", jdbc.queryForList("select concat(coalesce(ip, '-'), ' ', coalesce(user_agent, '-'), ' ', coalesce(note, '-')) from consent_event", String.class));
        assertThat(raw).doesNotContain(IP, "192.0.2.1", AGENT, "old-ledger@example.org", "by phone", "@");
        List<ConsentEvent> history = ledger().history(anna);
        assertThat(history).extracting(e -> e.evidence().ip()).containsExactly(IP, null);
        assertThat(history).extracting(e -> e.evidence().userAgent()).containsExactly(AGENT, null);
        assertThat(history).extracting(e -> e.evidence().note()).containsExactly(NOTE, "by phone");
        assertThat(ledger().history(bo).get(0).evidence().ip()).isEqualTo("192.0.2.1");
    }

    @Test
    void aTamperedPlaintextLedgerStopsTheMigrationAndStaysAsItWas() {
        jdbc.update("update consent_event set note = 'nothing to see' where seq = 3");

        assertThatThrownBy(() -> flyway().javaMigrations(new LedgerEvidenceMigration(kek)).load().migrate())
                .isInstanceOf(FlywayException.class)
                .rootCause()
                .hasMessageContaining("refuses to encrypt and re-chain the consent ledger because it does not verify")
                .hasMessageContaining("seq 3")
                .hasMessageContaining("changed after it was written");
        assertThat(jdbc.queryForObject("select note from consent_event where seq = 1", String.class)).isEqualTo(NOTE);
        assertThat(jdbc.queryForObject("select count(*) from flyway_schema_history where version = '12.1' and success", Integer.class)).isZero();
    }

    /** The plaintext chain as versions before 12 hashed it, read with the columns of that schema. */
    private boolean oldChainVerifies() {
        var previous = new String[] {EventHash.GENESIS};
        var ok = new boolean[] {true};
        jdbc.query("select " + LedgerStore.V12_EVENT_COLUMNS + " from consent_event order by seq", (org.springframework.jdbc.core.RowCallbackHandler) rs -> {
            StoredEvent row = LedgerStore.v12EventRow(rs, 0);
            String hash = EventHash.of(row.event(), row.ip(), row.userAgent(), row.note(), previous[0]);
            ok[0] &= hash.equals(row.event().hash()) && previous[0].equals(row.event().prevHash());
            previous[0] = row.event().hash();
        });
        return ok[0];
    }

    private org.flywaydb.core.api.configuration.FluentConfiguration flyway() {
        return LedgerParts.flyway(dataSource, schema());
    }

    private MigrationVersion versionBefore12() {
        return LedgerParts.lastBefore(flyway(), "12");
    }

    private ConsentLedger ledger() {
        return new LedgerParts(dataSource, kek).ledger;
    }

    private void insertContact(ContactId id) {
        LedgerParts.insertContact(jdbc, id);
    }

    /** One row as versions before 12 wrote it: evidence in plaintext, hashed in plaintext. */
    private String appendTheOldWay(long seq, ContactId contact, String subject, String value, String previous,
                                   String ip, String agent, String note, String prevHash) {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        EventType type = subject.equals("email-opt-in") ? EventType.OPT_IN_STATUS_CHANGED
                : value.equals("GRANTED") ? EventType.CONSENT_GRANTED : EventType.CONSENT_REVOKED;
        var evidence = new Evidence(ActorKind.USER, "test-user", "api", at, ip, agent, null, note);
        var event = new ConsentEvent(seq, UUID.randomUUID(), contact, type, subject, value, previous, evidence, prevHash, null);
        String hash = EventHash.of(event, prevHash);
        jdbc.update("insert into consent_event (" + LedgerStore.V12_EVENT_COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                seq, event.eventId(), contact.value(), type.name(), subject, value, previous, "USER", "test-user", "api",
                OffsetDateTime.ofInstant(at, ZoneOffset.UTC), ip, agent, null, note, prevHash, hash);
        return hash;
    }
}
