package io.consenthub.email;

import io.consenthub.contact.ContactId;
import io.consenthub.decision.EmailKind;
import io.consenthub.decision.Refusals;
import io.consenthub.consent.optin.EmailOptInStatus;
import io.consenthub.support.ContactFixtures;
import io.consenthub.support.TestMailServer;
import io.consenthub.support.ApiClient;
import io.consenthub.support.TestKeys;
import io.consenthub.consent.ActorKind;
import io.consenthub.consent.Evidence;
import io.consenthub.consent.optin.EmailOptIn;
import io.consenthub.preference.PendingChanges;
import org.springframework.boot.test.web.server.LocalServerPort;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every opt-in status × email kind under one sending policy, sent for real through the gated
 * delivery route to GreenMail. The expected table is written from DESIGN §1.3, per policy, in the
 * subclasses. '+' = delivered, '-' = refused and recorded.
 */
@Import(ContactFixtures.class)
abstract class EmailGateMatrix {

    private static final List<EmailKind> KINDS = List.of(EmailKind.CAMPAIGN, EmailKind.AUTORESPONDER,
            EmailKind.WORKFLOW, EmailKind.AD_HOC, EmailKind.REPLY);
    private static final List<EmailOptInStatus> STATUSES = List.of(EmailOptInStatus.values());

    @Autowired
    ContactFixtures fixtures;
    @Autowired
    Emails emails;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JdbcTemplate db;
    @Autowired
    Refusals refusals;
    @Autowired
    EmailOptIn optIn;
    @Autowired
    PendingChanges pending;
    @LocalServerPort
    int port;

    /** Rows in {@link EmailOptInStatus} order, columns CAMPAIGN AUTORESPONDER WORKFLOW AD_HOC REPLY. */
    abstract String expectedTable();

    @Test
    void eachStatusAndKindIsDeliveredOrRefusedAsThePolicySays() {
        TestMailServer.get();
        Map<EmailOptInStatus, String> expected = parse(expectedTable());
        Map<EmailOptInStatus, String> addresses = new EnumMap<>(EmailOptInStatus.class);
        Map<String, String> outcomeByMessage = new LinkedHashMap<>();
        for (EmailOptInStatus status : STATUSES) {
            String email = ContactFixtures.uniqueEmail(status.name().toLowerCase().replace('_', '-'));
            addresses.put(status, email);
            ContactId contact = fixtures.contact(email, status, "newsletter");
            for (int k = 0; k < KINDS.size(); k++) {
                EmailKind kind = KINDS.get(k);
                var payload = new EmailPayload(kind, kind + " for " + status, "body", null,
                        kind == EmailKind.CAMPAIGN ? "newsletter" : null,
                        kind == EmailKind.REPLY ? "<not-from-this-contact@example.org>" : null, null, "matrix");
                String messageId = tx.execute(s -> emails.enqueue(contact, payload, null));
                outcomeByMessage.put(messageId, status + " " + kind + " " + expected.get(status).charAt(k));
            }
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> db.queryForObject(
                "select count(*) from outbox where status in ('PENDING', 'IN_FLIGHT')", Long.class) == 0);

        var mismatches = new ArrayList<String>();
        outcomeByMessage.forEach((messageId, description) -> {
            String status = db.queryForObject("select status from outbox where message_id = ?", String.class, messageId);
            boolean shouldSend = description.endsWith("+");
            String wanted = shouldSend ? "DELIVERED" : "REFUSED";
            if (!wanted.equals(status)) {
                mismatches.add(description + " expected " + wanted + " but was " + status);
            }
        });
        assertThat(mismatches).isEmpty();
        for (EmailOptInStatus status : STATUSES) {
            long delivered = expected.get(status).chars().filter(c -> c == '+').count();
            var received = TestMailServer.receivedBy(addresses.get(status));
            assertThat(received).as("mail received by the " + status + " contact").hasSize((int) delivered);
            received.forEach(m -> assertThat(TestMailServer.header(m, EmailComposer.KIND_HEADER)).isIn(
                    KINDS.stream().map(Enum::name).toList()));
        }
        long refusedExpected = expected.values().stream().mapToLong(row -> row.chars().filter(c -> c == '-').count()).sum();
        assertThat(db.queryForObject("select count(*) from gate_refusal where message_id in ("
                + String.join(",", outcomeByMessage.keySet().stream().map(m -> "?").toList()) + ")", Long.class,
                outcomeByMessage.keySet().toArray())).isEqualTo(refusedExpected);
    }

    @Test
    void aForgedWebFormLeavesAnOptedOutContactUnmailableUntilTheContactConfirmsFromTheirMailbox() throws Exception {
        TestMailServer.get();
        String email = ContactFixtures.uniqueEmail("forged");
        ContactId contact = fixtures.contact(email, EmailOptInStatus.OPT_OUT_CONTACT, "newsletter");

        var forged = new ApiClient(port).post("/api/webforms/submissions", TestKeys.WEBFORM, ApiClient.json(Map.of(
                "formId", "signup", "email", email, "marketingOptIn", true, "consents", Map.of("newsletter", true))));

        assertThat(forged.status()).isEqualTo(202);
        assertThat(optIn.status(contact)).isEqualTo(EmailOptInStatus.OPT_OUT_CONTACT);
        assertThat(campaignOutcome(contact)).as("a campaign before confirmation").isEqualTo("REFUSED");
        await().atMost(Duration.ofSeconds(20)).until(() -> TestMailServer.receivedBy(email).size() == 1);
        String body = com.icegreen.greenmail.util.GreenMailUtil.getBody(TestMailServer.receivedBy(email).get(0)).replace("=\r\n", "");
        String token = body.replaceAll("(?s).*/p/confirm/([A-Za-z0-9_-]{43}).*", "$1");

        assertThat(pending.confirm(token, grant -> new Evidence(ActorKind.CONTACT, null, "preference-page", Instant.now(),
                "198.51.100.4", "mail-reader", grant.proofId(), null))).isPresent();

        assertThat(optIn.status(contact)).isEqualTo(EmailOptInStatus.SINGLE_OPT_IN_WEBFORM);
        boolean policyMailsWebForm = parse(expectedTable()).get(EmailOptInStatus.SINGLE_OPT_IN_WEBFORM).charAt(0) == '+';
        assertThat(campaignOutcome(contact)).as("a campaign after confirmation, as the sending policy says")
                .isEqualTo(policyMailsWebForm ? "DELIVERED" : "REFUSED");
    }

    private String campaignOutcome(ContactId contact) {
        String messageId = tx.execute(s -> emails.enqueue(contact, new EmailPayload(EmailKind.CAMPAIGN, "Campaign", "body",
                null, "newsletter", null, null, "forged-form"), null));
        await().atMost(Duration.ofSeconds(30)).until(() -> !List.of("PENDING", "IN_FLIGHT").contains(
                db.queryForObject("select status from outbox where message_id = ?", String.class, messageId)));
        return db.queryForObject("select status from outbox where message_id = ?", String.class, messageId);
    }

    private static Map<EmailOptInStatus, String> parse(String table) {
        var rows = table.lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
        assertThat(rows).hasSize(STATUSES.size());
        var result = new EnumMap<EmailOptInStatus, String>(EmailOptInStatus.class);
        for (String row : rows) {
            String[] cells = row.split("\\s+");
            result.put(EmailOptInStatus.valueOf(cells[0]), String.join("", Arrays.copyOfRange(cells, 1, cells.length)));
        }
        return result;
    }
}
