package io.consenthub.consent;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import io.consenthub.contact.ContactId;
import io.consenthub.crypto.ContactKeysAccess;
import io.consenthub.crypto.KeyEncryptionKey;
import io.consenthub.crypto.SigningKey;
import io.consenthub.crypto.SigningKeyAccess;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

import javax.sql.DataSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Signed checkpoints against the two attacks the per-contact chains alone cannot see: deleting the
 * last events of a chain (and moving its head back), and rewriting every chain with recomputed
 * hashes and heads. Verification names both against the latest signed checkpoint; rewriting the
 * sealed heads too breaks the signed root, and the sealer refuses to sign on top of forged heads. A
 * checkpoint verifies offline with a standard JOSE library and the published JWK set, and a destroyed
 * contact key (erasure) leaves everything verifying. Each test has a
 * fresh database of its own; H2 and PostgreSQL subclasses.
 */
abstract class LedgerCheckpointsContract {

    private JdbcTemplate jdbc;
    private LedgerParts parts;
    private SigningKey key;
    private final List<ContactId> contacts = List.of(ContactId.random(), ContactId.random(), ContactId.random());

    abstract DataSource freshDatabase();

    abstract String schema();

    @BeforeEach
    void ledgerWithThreeChains() {
        DataSource dataSource = freshDatabase();
        jdbc = new JdbcTemplate(dataSource);
        KeyEncryptionKey kek = ContactKeysAccess.testKek();
        LedgerParts.flyway(dataSource, schema()).javaMigrations(new LedgerEvidenceMigration(kek), new ChainMigration()).load().migrate();
        key = SigningKeyAccess.freshKey();
        parts = new LedgerParts(dataSource, kek, key);
        for (ContactId contact : contacts) {
            LedgerParts.insertContact(jdbc, contact);
            append(contact, EventType.CONSENT_GRANTED, "newsletter", "GRANTED");
            append(contact, EventType.CONSENT_REVOKED, "newsletter", "REVOKED");
            append(contact, EventType.CONSENT_GRANTED, "newsletter", "GRANTED");
        }
    }

    @Test
    void deletingTheLastEventsOfAChainAndMovingItsHeadBackIsNamedTruncated() {
        LedgerCheckpoint sealed = seal();
        append(contacts.get(0), EventType.CONSENT_REVOKED, "newsletter", "REVOKED");
        assertThat(parts.ledger.verify().problems()).as("appends after a checkpoint extend the sealed chains").isEmpty();

        ContactId victim = contacts.get(1);
        jdbc.update("delete from consent_event where contact_id = ? and contact_seq = 3", victim.value());
        String second = jdbc.queryForObject("select hash from consent_event where contact_id = ? and contact_seq = 2", String.class,
                victim.value());
        jdbc.update("update ledger_chain set last_contact_seq = 2, last_hash = ? where contact_id = ?", second, victim.value());
        jdbc.update("update consent_state set state_value = 'REVOKED' where contact_id = ?", victim.value());

        LedgerVerification result = parts.ledger.verify();
        assertThat(result.ok()).isFalse();
        assertThat(result.checkpoint()).isEqualTo(sealed.id());
        assertThat(result.problems()).extracting(LedgerVerification.Problem::kind).containsExactly("truncated");
        assertThat(result.problems().get(0).detail()).contains(victim.value().toString())
                .contains("checkpoint " + sealed.id() + " sealed its chain at position 3 but it ends at position 2");
        LedgerCheckpoint next = parts.tx.execute(s -> parts.checkpoints.sealNow()).orElseThrow();
        assertThat(jdbc.queryForObject("select contact_seq from ledger_sealed_head where contact_id = ?", Long.class, victim.value()))
                .as("the next checkpoint seals the other chain's new event, never the shortened chain").isEqualTo(3);
        assertThat(parts.ledger.verify().problems()).extracting(LedgerVerification.Problem::kind).containsExactly("truncated");
        assertThat(parts.ledger.verify().checkpoint()).isEqualTo(next.id());
        assertThat(parts.ledger.verify(victim).problems()).extracting(LedgerVerification.Problem::kind).containsExactly("truncated");
    }

    @Test
    void rewritingEveryChainWithRecomputedHashesIsNamedRewrittenAndForgingTheSealedHeadsBreaksTheSignedRoot() {
        LedgerCheckpoint sealed = seal();

        rewriteEveryChain();
        LedgerVerification rewritten = parts.ledger.verify();
        assertThat(rewritten.ok()).isFalse();
        assertThat(rewritten.problems()).as("every chain checks out on its own; only the checkpoint tells")
                .extracting(LedgerVerification.Problem::kind).containsOnly("rewritten").hasSize(3);
        assertThat(String.join(" ", rewritten.problems().stream().map(LedgerVerification.Problem::detail).toList()))
                .contains(contacts.stream().map(c -> c.value().toString()).toArray(String[]::new));

        jdbc.update("update ledger_sealed_head set hash = (select c.last_hash from ledger_chain c where c.contact_id = ledger_sealed_head.contact_id)");
        LedgerVerification forged = parts.ledger.verify();
        assertThat(forged.problems()).extracting(LedgerVerification.Problem::kind).containsExactly("checkpoint-mismatch");
        assertThat(forged.problems().get(0).detail()).contains("checkpoint " + sealed.id());
        assertThatThrownBy(() -> parts.tx.execute(s -> parts.checkpoints.sealNow()))
                .hasMessageContaining("LEDGER TAMPERING SUSPECTED").hasMessageContaining("checkpoint " + sealed.id());
        assertThat(jdbc.queryForObject("select count(*) from ledger_checkpoint", Long.class)).isEqualTo(1);
    }

    @Test
    void aCheckpointVerifiesOfflineWithAStandardJoseLibraryAndTheJwkSetAndAForgedOneIsNamed() throws Exception {
        seal();
        append(contacts.get(2), EventType.CONSENT_REVOKED, "newsletter", "REVOKED");
        LedgerCheckpoint second = seal();
        assertThat(second.id()).isEqualTo(2);
        assertThat(second.previous()).isEqualTo(LedgerCheckpoints.hash(parts.checkpoints.list(null, 10).get(1).jws()));

        JWSObject jws = JWSObject.parse(second.jws());
        ECKey published = JWKSet.parse(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(key.jwks()))
                .getKeyByKeyId(jws.getHeader().getKeyID()).toECKey();
        assertThat(jws.verify(new ECDSAVerifier(published))).isTrue();
        Map<String, Object> payload = jws.getPayload().toJSONObject();
        assertThat(payload).containsEntry("checkpoint", 2L).containsEntry("root", second.root()).containsEntry("chains", 3L)
                .containsEntry("events", 10L);

        String otherKeys = SigningKeyAccess.freshKey().sign(LedgerCheckpoints.TYPE, jws.getPayload().toBytes());
        jdbc.update("update ledger_checkpoint set jws = ? where id = 2", otherKeys);
        assertThat(parts.ledger.verify().problems()).extracting(LedgerVerification.Problem::kind).contains("checkpoint-forged");
    }

    @Test
    void aDestroyedContactKeyLeavesTheChainsAndCheckpointsVerifyingAndTheChainGrowing() {
        seal();
        ContactId erased = contacts.get(0);
        parts.tx.executeWithoutResult(s -> parts.keys.destroy(erased));
        assertThat(parts.ledger.verify().problems()).isEmpty();

        append(erased, EventType.CONSENT_REVOKED, "newsletter", "REVOKED");
        LedgerCheckpoint next = seal();
        assertThat(next.events()).isEqualTo(10);
        assertThat(parts.ledger.history(erased)).allMatch(ConsentEvent::evidenceErased);
        assertThat(parts.ledger.verify(erased).problems()).isEmpty();
    }

    private LedgerCheckpoint seal() {
        LedgerCheckpoint sealed = parts.tx.execute(s -> parts.checkpoints.sealNow()).orElseThrow();
        LedgerVerification result = parts.ledger.verify();
        assertThat(result.problems()).isEmpty();
        assertThat(result.checkpoint()).isEqualTo(sealed.id());
        return sealed;
    }

    private void append(ContactId contact, EventType type, String subject, String value) {
        parts.tx.executeWithoutResult(s -> parts.ledger.append(new ConsentChange(contact, type, subject, value, null,
                new Evidence(ActorKind.USER, "test-user", "api", Instant.now(), null, null, null, null))));
    }

    /** What someone with write access to the tables can do: change every event and recompute every hash and head. */
    private void rewriteEveryChain() {
        var rows = new ArrayList<StoredEvent>();
        jdbc.query("select " + LedgerStore.EVENT_COLUMNS + " from consent_event order by contact_id, contact_seq",
                (RowCallbackHandler) rs -> rows.add(LedgerStore.eventRow(rs, 0)));
        UUID contact = null;
        String previous = EventHash.GENESIS;
        for (StoredEvent row : rows) {
            ConsentEvent e = row.event();
            if (!e.contactId().value().equals(contact)) {
                contact = e.contactId().value();
                previous = EventHash.GENESIS;
            }
            Evidence ev = e.evidence();
            var forged = new StoredEvent(new ConsentEvent(e.seq(), e.eventId(), e.contactId(), e.type(), e.subject(), e.value(),
                    e.previousValue(), new Evidence(ev.actorKind(), "someone-else", ev.channel(), ev.occurredAt(), null, null,
                    ev.proofId(), null), previous, null, false, e.contactSeq()), row.ip(), row.userAgent(), row.note());
            String hash = forged.hash(previous);
            jdbc.update("update consent_event set actor_id = 'someone-else', prev_hash = ?, hash = ? where seq = ?", previous, hash, e.seq());
            jdbc.update("update ledger_chain set last_hash = ? where contact_id = ? and last_contact_seq = ?", hash, contact,
                    e.contactSeq());
            previous = hash;
        }
    }
}
