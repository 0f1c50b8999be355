package io.consenthub.consent;

import io.consenthub.contact.ContactId;
import io.consenthub.crypto.ContactKeysAccess;
import io.consenthub.crypto.KeyEncryptionKey;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import io.consenthub.support.StatementLog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Appends that trust nothing a member remembers: two members (each with its own remembered chain
 * heads and numbers drawn ahead) share one PostgreSQL database and append to the same contacts, in
 * turns and at once. Every chain must stay gapless and verifiable, {@code seq} must grow along every
 * chain, the projection must end at the last event, a rolled-back append must leave nothing a later
 * one trusts, and an append whose head this member knows is one statement and the commit.
 */
@ExtendWith(RequiresPostgres.class)
class ChainHeadsOnPostgresTest {

    private static final String NAME = "consent_hub_chain_heads_test";

    private JdbcTemplate jdbc;
    private LedgerParts one;
    private LedgerParts two;

    @BeforeEach
    void twoMembersOnOneDatabase() {
        DataSource dataSource = StatementLog.recorded(PostgresTestDatabase.emptySchema(NAME));
        jdbc = new JdbcTemplate(dataSource);
        KeyEncryptionKey kek = ContactKeysAccess.testKek();
        LedgerParts.flyway(dataSource, PostgresTestDatabase.schema(NAME))
                .javaMigrations(new LedgerEvidenceMigration(kek), new ChainMigration()).load().migrate();
        one = new LedgerParts(dataSource, kek);
        two = new LedgerParts(dataSource, kek);
    }

    @Test
    void membersTakingTurnsOnAContactKeepItsChainGaplessWithGrowingSeq() {
        ContactId contact = contact();
        for (int i = 0; i < 6; i++) {
            append(one, contact, i);
            append(one, contact, i + 1);
            append(two, contact, i);
        }

        assertChainsHold();
        assertThat(one.ledger.state(contact)).containsEntry("newsletter", "REVOKED");
        assertThat(jdbc.queryForObject("select count(*) from consent_event where contact_id = ?", Long.class, contact.value()))
                .isEqualTo(18);
    }

    @Test
    void aNumberDrawnBeforeTheChainsLastEventIsNotUsedForThatChain() {
        ContactId other = contact();
        ContactId contact = contact();
        append(one, other, 0);
        append(one, other, 1);
        append(one, contact, 0);
        // member one now knows contact's head, whose seq is above some of the numbers it drew while appending to other
        append(one, contact, 1);
        append(one, contact, 2);

        assertChainsHold();
    }

    @Test
    void numbersDrawnBeforeAChainMovedOnDoNotKeepItsAppendsOffTheOneStatementPath() {
        for (int i = 0; i < 40; i++) {
            // first appends of other contacts: each draws a number for later, filling the member's pool
            append(one, contact(), 0);
        }
        ContactId contact = contact();
        append(one, contact, 0);
        append(two, contact, 1);
        // member two took a number above every one member one holds; member one locks once, then knows the head
        append(one, contact, 2);

        List<String> sent = StatementLog.recording(() -> append(one, contact, 3));

        assertThat(writes(sent)).as("a known head is one write, whatever numbers were drawn before").isEqualTo(1);
        assertThat(sent).noneMatch(s -> s.contains("for update"));
        assertChainsHold();
    }

    @Test
    void manyWritersOnTwoMembersKeepEveryChainGaplessAndVerifiable() throws Exception {
        List<ContactId> shared = List.of(contact(), contact(), contact());
        var pool = Executors.newFixedThreadPool(6);
        var work = new ArrayList<Callable<Integer>>();
        for (int w = 0; w < 6; w++) {
            LedgerParts member = w % 2 == 0 ? one : two;
            ContactId own = contact();
            work.add(() -> {
                for (int i = 0; i < 30; i++) {
                    append(member, i % 3 == 0 ? shared.get(i % shared.size()) : own, i);
                }
                return 30;
            });
        }
        for (Future<Integer> done : pool.invokeAll(work)) {
            assertThat(done.get()).isEqualTo(30);
        }
        pool.shutdown();

        assertChainsHold();
        assertThat(jdbc.queryForObject("select count(*) from consent_event", Long.class)).isEqualTo(180);
    }

    @Test
    void severalAppendsToOneContactAndToSeveralContactsInOneTransactionChainOnEachOther() {
        ContactId first = contact();
        ContactId second = contact();
        append(one, first, 0);
        one.tx.executeWithoutResult(s -> {
            for (int i = 1; i <= 3; i++) {
                one.ledger.append(change(first, i));
                one.ledger.append(change(second, i));
            }
        });
        append(one, first, 4);
        append(two, second, 4);

        assertChainsHold();
        assertThat(jdbc.queryForObject("select max(contact_seq) from consent_event where contact_id = ?", Long.class, first.value()))
                .isEqualTo(5);
        assertThat(jdbc.queryForObject("select max(contact_seq) from consent_event where contact_id = ?", Long.class, second.value()))
                .isEqualTo(4);
    }

    @Test
    void aRolledBackAppendLeavesNoHeadALaterAppendTrusts() {
        ContactId contact = contact();
        append(one, contact, 0);
        one.tx.executeWithoutResult(s -> {
            one.ledger.append(change(contact, 1));
            s.setRollbackOnly();
        });
        List<String> sent = StatementLog.recording(() -> append(one, contact, 1));
        assertThat(writes(sent)).as("the member still knows the committed head, not the rolled-back one").isEqualTo(1);
        append(one, contact, 2);

        assertChainsHold();
        assertThat(jdbc.queryForObject("select max(contact_seq) from consent_event where contact_id = ?", Long.class, contact.value()))
                .isEqualTo(3);
    }

    @Test
    void anAppendWhoseHeadTheMemberKnowsIsOneStatementAndTheCommit() {
        ContactId contact = contact();
        append(one, contact, 0);
        append(one, contact, 1);

        List<String> sent = StatementLog.recording(() -> append(one, contact, 2));

        assertThat(sent).hasSize(2);
        assertThat(sent.get(0)).startsWith("with moved as (update ledger_chain");
        assertThat(sent.get(1)).isEqualTo("commit");
        assertChainsHold();
    }

    @Test
    void anAppendAfterAnotherMembersAppendLocksTheHeadAndChainsOnIt() {
        ContactId contact = contact();
        append(one, contact, 0);
        append(one, contact, 1);
        append(two, contact, 2);

        List<String> sent = StatementLog.recording(() -> append(one, contact, 3));

        assertThat(writes(sent)).as("the guessed head wrote nothing, the locked one wrote the event").isEqualTo(2);
        assertThat(sent).anyMatch(s -> s.contains("for update"));
        assertChainsHold();
        assertThat(one.ledger.state(contact)).containsEntry("newsletter", "REVOKED");
    }

    /** The one-statement writes (event, head, projection) among the statements an append sent. */
    private static long writes(List<String> sent) {
        return sent.stream().filter(statement -> statement.startsWith("with moved as")).count();
    }

    private void assertChainsHold() {
        assertThat(one.ledger.verify().problems()).isEmpty();
        assertThat(jdbc.queryForObject("""
                select count(*) from (select contact_id from consent_event group by contact_id
                                      having max(contact_seq) <> count(*) or min(contact_seq) <> 1) gaps""", Long.class))
                .as("every chain is numbered 1..n").isZero();
        assertThat(jdbc.queryForObject("""
                select count(*) from consent_event e join consent_event n
                  on n.contact_id = e.contact_id and n.contact_seq = e.contact_seq + 1
                where n.seq <= e.seq""", Long.class))
                .as("seq grows along every chain").isZero();
    }

    private ContactId contact() {
        ContactId id = ContactId.random();
        LedgerParts.insertContact(jdbc, id);
        return id;
    }

    private static void append(LedgerParts member, ContactId contact, int i) {
        member.tx.executeWithoutResult(s -> member.ledger.append(change(contact, i)));
    }

    private static ConsentChange change(ContactId contact, int i) {
        boolean grant = i % 2 == 0;
        return new ConsentChange(contact, grant ? EventType.CONSENT_GRANTED : EventType.CONSENT_REVOKED, "newsletter",
                grant ? "GRANTED" : "REVOKED", null,
                new Evidence(ActorKind.USER, "test-user", "api", Instant.now(), "127.0.0.1", "test-agent", null, null));
    }
}
