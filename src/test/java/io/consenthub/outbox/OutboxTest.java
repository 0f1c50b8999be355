package io.consenthub.outbox;

import io.consenthub.contact.ContactId;
import io.consenthub.support.HubTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The outbox's promises: one message per id, claims are leased, and only the current claim may record an outcome. */
@HubTest
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:h2:mem:outbox;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1",
        "consent-hub.outbox.lease=0s"})
class OutboxTest {

    private static final String KIND = "TEST_KIND";

    @Autowired
    Outbox outbox;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JdbcTemplate db;

    private String enqueue() {
        String id = "<" + UUID.randomUUID() + "@test>";
        Boolean enqueued = tx.execute(s -> outbox.enqueue(new NewOutboxMessage(id, KIND, "somewhere", null, null, "{}")));
        assertThat(enqueued).isTrue();
        return id;
    }

    @Test
    void aMessageIdIsEnqueuedOnce() {
        String id = enqueue();

        Boolean again = tx.execute(s -> outbox.enqueue(new NewOutboxMessage(id, KIND, "somewhere", null, null, "{}")));

        assertThat(again).isFalse();
        assertThat(db.queryForObject("select count(*) from outbox where message_id = ?", Long.class, id)).isEqualTo(1);
    }

    @Test
    void anOutcomeFromAClaimWhoseLeaseRanOutChangesNothing() {
        String id = enqueue();
        OutboxMessage first = outbox.claim(KIND, 100).stream().filter(m -> m.messageId().equals(id)).findFirst().orElseThrow();
        OutboxMessage second = outbox.claim(KIND, 100).stream().filter(m -> m.messageId().equals(id)).findFirst().orElseThrow();

        assertThat(outbox.delivered(first)).as("the first claim's lease has run out").isFalse();
        assertThat(outbox.refused(second, "rule")).isTrue();
        assertThat(outbox.delivered(second)).as("a finished message stays finished").isFalse();
        assertThat(db.queryForObject("select status from outbox where message_id = ?", String.class, id)).isEqualTo("REFUSED");
    }

    @Test
    void enqueueAllLeavesOutMessagesEnqueuedBeforeOrTwiceAndPendingNamesTheWaitingContacts() {
        String earlier = enqueue();
        var waiting = ContactId.random();
        var other = ContactId.random();
        String fresh = "<" + UUID.randomUUID() + "@test>";

        Integer enqueued = tx.execute(s -> outbox.enqueueAll(List.of(
                new NewOutboxMessage(earlier, KIND, "somewhere", null, null, "{}"),
                new NewOutboxMessage(fresh, KIND, "crm-a", waiting, "batch-1", "{\"n\":1}"),
                new NewOutboxMessage(fresh, KIND, "crm-a", waiting, "batch-1", "{\"n\":2}"))));

        assertThat(enqueued).isEqualTo(1);
        assertThat(db.queryForObject("select count(*) from outbox where message_id = ?", Long.class, earlier)).isEqualTo(1);
        assertThat(db.queryForMap("select destination, batch_id, payload, status, attempts from outbox where message_id = ?", fresh))
                .containsEntry("destination", "crm-a").containsEntry("batch_id", "batch-1")
                .containsEntry("payload", "{\"n\":1}").containsEntry("status", "PENDING").containsEntry("attempts", 0);
        assertThat(outbox.pendingFor(KIND, "crm-a", List.of(waiting, other))).containsExactly(waiting);
        assertThat(outbox.pendingFor(KIND, "crm-b", List.of(waiting, other))).isEmpty();
    }
}
