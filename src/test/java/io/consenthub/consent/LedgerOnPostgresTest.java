package io.consenthub.consent;

import io.consenthub.contact.Attributes;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.EmailAddress;
import io.consenthub.consent.optin.EmailOptIn;
import io.consenthub.consent.optin.EmailOptInStatus;
import io.consenthub.consent.optin.OptInAction;
import io.consenthub.support.HubTest;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import io.consenthub.shared.ConflictException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ledger and bulk writes on PostgreSQL. Many writers at once: every contact's chain must stay
 * gapless and verifiable and the projection must end where the events say, also when writers hit the
 * same contact. A batch append must chain exactly like appends one by one, and a bulk create that
 * meets an existing email must write nothing.
 */
@ExtendWith(RequiresPostgres.class)
@HubTest
class LedgerOnPostgresTest {

    private static final int WRITERS = 8;
    private static final int CHANGES_PER_WRITER = 40;

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, "consent_hub_ledger_test");
    }

    @Autowired
    TransactionTemplate tx;
    @Autowired
    ContactDirectory contacts;
    @Autowired
    EmailOptIn optIn;
    @Autowired
    ConsentRecords consents;
    @Autowired
    ConsentLedger ledger;
    @Autowired
    JdbcTemplate db;

    @Test
    void concurrentWritersKeepTheChainGaplessAndVerifiable() throws Exception {
        ContactId shared = tx.execute(s -> contacts.create(new EmailAddress("shared-" + UUID.randomUUID() + "@example.org"),
                Attributes.empty(), List.of()).id());
        long before = db.queryForObject("select count(*) from consent_event", Long.class);
        var pool = Executors.newFixedThreadPool(WRITERS);
        var futures = new ArrayList<Future<Integer>>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            Callable<Integer> work = () -> {
                ContactId own = tx.execute(s -> contacts.create(new EmailAddress("writer-" + writer + "-" + UUID.randomUUID() + "@example.org"),
                        Attributes.empty(), List.of()).id());
                int written = 0;
                for (int i = 0; i < CHANGES_PER_WRITER; i++) {
                    boolean grant = i % 2 == 0;
                    var evidence = new Evidence(ActorKind.USER, "writer-" + writer, "test", Instant.now(), null, null, null, null);
                    ContactId target = i % 4 == 0 ? shared : own;
                    tx.executeWithoutResult(s -> consents.record(target, "newsletter", grant, evidence));
                    tx.executeWithoutResult(s -> optIn.attempt(target, grant ? OptInAction.SET_OPT_OUT_USER : OptInAction.REVERT_OPT_OUT_USER, evidence));
                    written++;
                }
                return written;
            };
            futures.add(pool.submit(work));
        }
        for (Future<Integer> f : futures) {
            assertThat(f.get()).isEqualTo(CHANGES_PER_WRITER);
        }
        pool.shutdown();

        LedgerVerification result = ledger.verify();
        assertThat(result.problems()).isEmpty();
        assertThat(result.ok()).isTrue();
        long after = db.queryForObject("select count(*) from consent_event", Long.class);
        assertThat(after).isGreaterThan(before);
        assertThat(db.queryForObject("""
                select count(*) from (select contact_id from consent_event group by contact_id
                                      having max(contact_seq) <> count(*) or min(contact_seq) <> 1) gaps""", Long.class))
                .as("every contact's chain is numbered 1..n without gaps").isZero();
        assertThat(db.queryForObject("select count(*) from consent_event where contact_id = ?", Long.class, shared.value()))
                .isEqualTo(db.queryForObject("select last_contact_seq from ledger_chain where contact_id = ?", Long.class, shared.value()));
    }

    @Test
    void aBatchAppendChainsInOrderAndProjectsTheLastValueOfEachSubject() {
        var evidence = new Evidence(ActorKind.CRM, "crm", "test", Instant.now(), null, null, null, null);
        List<ContactId> created = tx.execute(s -> {
            var ids = new ArrayList<ContactId>();
            var optedOut = new LinkedHashMap<ContactId, Evidence>();
            for (int i = 0; i < 3; i++) {
                ContactId id = contacts.create(new EmailAddress("batch-" + i + "-" + UUID.randomUUID() + "@example.org"),
                        Attributes.empty(), List.of()).id();
                ids.add(id);
                optedOut.put(id, evidence);
            }
            assertThat(optIn.attemptForNew(OptInAction.SET_OPT_OUT_USER, optedOut)).isEqualTo(3);
            ledger.appendAll(List.of(
                    new ConsentChange(ids.get(0), EventType.CONSENT_GRANTED, "newsletter", "GRANTED", null, evidence),
                    new ConsentChange(ids.get(0), EventType.CONSENT_REVOKED, "newsletter", "REVOKED", "GRANTED", evidence),
                    new ConsentChange(ids.get(0), EventType.CONSENT_GRANTED, "newsletter", "GRANTED", "REVOKED", evidence)));
            return ids;
        });

        for (ContactId id : created) {
            assertThat(optIn.status(id)).isEqualTo(EmailOptInStatus.OPT_OUT_USER);
        }
        assertThat(ledger.state(created.get(0))).containsEntry("newsletter", "GRANTED");
        assertThat(ledger.history(created.get(0))).extracting(ConsentEvent::type).containsExactly(
                EventType.OPT_IN_STATUS_CHANGED, EventType.CONSENT_GRANTED, EventType.CONSENT_REVOKED, EventType.CONSENT_GRANTED);
        assertThat(ledger.verify().problems()).isEmpty();
        assertThatThrownBy(() -> tx.executeWithoutResult(s -> optIn.attemptForNew(OptInAction.SET_OPT_OUT_USER,
                Map.of(created.get(1), evidence)))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void creatingContactsInBulkWithAnEmailThatExistsIsAConflictAndWritesNothing() {
        String taken = "taken-" + UUID.randomUUID() + "@example.org";
        tx.executeWithoutResult(s -> contacts.create(new EmailAddress(taken), Attributes.empty(), List.of()));
        String other = "other-" + UUID.randomUUID() + "@example.org";

        assertThatThrownBy(() -> tx.executeWithoutResult(s -> contacts.createAll(List.of(
                new ContactDirectory.NewContact(new EmailAddress(other), Attributes.empty(), List.of()),
                new ContactDirectory.NewContact(new EmailAddress(taken.toUpperCase(Locale.ROOT)), Attributes.empty(), List.of())))))
                .isInstanceOf(ConflictException.class);
        assertThat(contacts.findByEmail(new EmailAddress(other))).isEmpty();
    }
}
