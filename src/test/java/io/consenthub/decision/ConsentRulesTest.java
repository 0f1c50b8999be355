package io.consenthub.decision;

import io.consenthub.consent.ActorKind;
import io.consenthub.consent.ContactState;
import io.consenthub.consent.Purpose;
import io.consenthub.consent.PurposeKind;
import io.consenthub.consent.optin.EmailOptInStatus;
import io.consenthub.consent.optin.OptInAction;
import io.consenthub.consent.optin.SendingPolicy;
import io.consenthub.contact.ContactId;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every act against every kind of contact state, from a table written from the design (DESIGN §1.1,
 * §1.3, §3), not from the code: opt-outs stop every new email but replies to the contact's own
 * conversation and notices of their own acts; stop processing and erasure requested stop every
 * use and every change by others; a sensitive field is stored only while its storage consent is
 * effectively granted (the default counting); withdrawing is never refused; the consents block
 * always reaches the CRMs. A cell is {@code +rule} (allowed by that rule) or {@code -rule}
 * (refused by it). Campaigns are decided under DOUBLE_ONLY here; the three policies against the six
 * statuses are the email gate tests' matrix.
 *
 * <p>States (purposes as in config/consents.yaml):
 * N = NONE, nothing answered (defaults: national ID stored, card number not, no tracking, no partner);
 * S = SINGLE_OPT_IN_USER, newsletter granted;
 * D = DOUBLE_OPT_IN, newsletter, card number, tracking and partner Acme granted;
 * P = D and stop processing; E = D and erasure requested;
 * U = D's answers but OPT_OUT_USER; C = D's answers but OPT_OUT_CONTACT;
 * R = DOUBLE_OPT_IN with every purpose answered "revoked".
 */
class ConsentRulesTest {

    private static final String TABLE = """
            act                                    | N                              | S                              | D                              | P                  | E                   | U                              | C                              | R
            email CAMPAIGN newsletter              | -sending-policy                | -sending-policy                | +campaign-opt-in               | -stop-processing   | -erasure-requested  | -opted-out                     | -opted-out                     | -not-subscribed
            email CAMPAIGN product-news            | -sending-policy                | -sending-policy                | -not-subscribed                | -stop-processing   | -erasure-requested  | -opted-out                     | -opted-out                     | -not-subscribed
            email CAMPAIGN store-card-number       | -sending-policy                | -sending-policy                | -unknown-list                  | -stop-processing   | -erasure-requested  | -opted-out                     | -opted-out                     | -unknown-list
            email CAMPAIGN -                       | -sending-policy                | -sending-policy                | -no-list                       | -stop-processing   | -erasure-requested  | -opted-out                     | -opted-out                     | -no-list
            email AUTORESPONDER                    | +not-opted-out                 | +not-opted-out                 | +not-opted-out                 | -stop-processing   | -erasure-requested  | -opted-out                     | -opted-out                     | +not-opted-out
            email WORKFLOW                         | +not-opted-out                 | +not-opted-out                 | +not-opted-out                 | -stop-processing   | -erasure-requested  | -opted-out                     | -opted-out                     | +not-opted-out
            email AD_HOC                           | +not-opted-out                 | +not-opted-out                 | +not-opted-out                 | -stop-processing   | -erasure-requested  | -opted-out                     | -opted-out                     | +not-opted-out
            email REPLY                            | +not-opted-out                 | +not-opted-out                 | +not-opted-out                 | -stop-processing   | -erasure-requested  | -opted-out                     | -opted-out                     | +not-opted-out
            email REPLY in-contacts-conversation   | +reply-to-contact-conversation | +reply-to-contact-conversation | +reply-to-contact-conversation | +reply-to-contact-conversation | +reply-to-contact-conversation | +reply-to-contact-conversation | +reply-to-contact-conversation | +reply-to-contact-conversation
            email DOUBLE_OPT_IN                    | +double-opt-in-request         | +double-opt-in-request         | -already-double-opt-in         | -stop-processing   | -erasure-requested  | -opted-out                     | -opted-out                     | -already-double-opt-in
            email NOTICE                           | +notice-of-contacts-own-act    | +notice-of-contacts-own-act    | +notice-of-contacts-own-act    | +notice-of-contacts-own-act | +notice-of-contacts-own-act | +notice-of-contacts-own-act | +notice-of-contacts-own-act | +notice-of-contacts-own-act
            track                                  | -tracking-not-consented        | -tracking-not-consented        | +tracking-consented            | -stop-processing   | -erasure-requested  | +tracking-consented            | +tracking-consented            | -tracking-not-consented
            store nationalId                       | +field-storage-consented       | +field-storage-consented       | +field-storage-consented       | +field-storage-consented | -erasure-requested | +field-storage-consented | +field-storage-consented | -field-consent-revoked
            store cardNumber                       | -field-consent-not-given       | -field-consent-not-given       | +field-storage-consented       | +field-storage-consented | -erasure-requested | +field-storage-consented | +field-storage-consented | -field-consent-revoked
            store firstName                        | +not-a-sensitive-field         | +not-a-sensitive-field         | +not-a-sensitive-field         | +not-a-sensitive-field | +not-a-sensitive-field | +not-a-sensitive-field | +not-a-sensitive-field | +not-a-sensitive-field
            edit USER                              | +no-restriction                | +no-restriction                | +no-restriction                | -stop-processing   | -erasure-requested  | +no-restriction                | +no-restriction                | +no-restriction
            edit CRM                               | +no-restriction                | +no-restriction                | +no-restriction                | -stop-processing   | -erasure-requested  | +no-restriction                | +no-restriction                | +no-restriction
            edit CONTACT                           | +own-or-hub-edit               | +own-or-hub-edit               | +own-or-hub-edit               | +own-or-hub-edit   | +own-or-hub-edit    | +own-or-hub-edit               | +own-or-hub-edit               | +own-or-hub-edit
            edit SYSTEM                            | +own-or-hub-edit               | +own-or-hub-edit               | +own-or-hub-edit               | +own-or-hub-edit   | +own-or-hub-edit    | +own-or-hub-edit               | +own-or-hub-edit               | +own-or-hub-edit
            answer USER grant newsletter           | +no-restriction                | +no-restriction                | +no-restriction                | -stop-processing   | -erasure-requested  | +no-restriction                | +no-restriction                | +no-restriction
            answer CRM grant newsletter            | +no-restriction                | +no-restriction                | +no-restriction                | -stop-processing   | -erasure-requested  | +no-restriction                | +no-restriction                | +no-restriction
            answer USER withdraw newsletter        | +withdrawal-always-allowed     | +withdrawal-always-allowed     | +withdrawal-always-allowed     | +withdrawal-always-allowed | +withdrawal-always-allowed | +withdrawal-always-allowed | +withdrawal-always-allowed | +withdrawal-always-allowed
            answer CONTACT grant newsletter        | +own-or-hub-answer             | +own-or-hub-answer             | +own-or-hub-answer             | +own-or-hub-answer | +own-or-hub-answer  | +own-or-hub-answer             | +own-or-hub-answer             | +own-or-hub-answer
            opt-in USER SET_SINGLE_OPT_IN_USER     | +no-restriction                | +no-restriction                | +no-restriction                | -stop-processing   | -erasure-requested  | +no-restriction                | +no-restriction                | +no-restriction
            opt-in USER REVERT_OPT_OUT_USER        | +no-restriction                | +no-restriction                | +no-restriction                | -stop-processing   | -erasure-requested  | +no-restriction                | +no-restriction                | +no-restriction
            opt-in SYSTEM REQUEST_DOUBLE_OPT_IN    | +no-restriction                | +no-restriction                | +no-restriction                | -stop-processing   | -erasure-requested  | +no-restriction                | +no-restriction                | +no-restriction
            opt-in USER SET_OPT_OUT_USER           | +withdrawal-or-contacts-own    | +withdrawal-or-contacts-own    | +withdrawal-or-contacts-own    | +withdrawal-or-contacts-own | +withdrawal-or-contacts-own | +withdrawal-or-contacts-own | +withdrawal-or-contacts-own | +withdrawal-or-contacts-own
            opt-in CRM SET_OPT_OUT_USER            | +withdrawal-or-contacts-own    | +withdrawal-or-contacts-own    | +withdrawal-or-contacts-own    | +withdrawal-or-contacts-own | +withdrawal-or-contacts-own | +withdrawal-or-contacts-own | +withdrawal-or-contacts-own | +withdrawal-or-contacts-own
            opt-in CONTACT SUBMIT_WEB_FORM_OPT_IN  | +withdrawal-or-contacts-own    | +withdrawal-or-contacts-own    | +withdrawal-or-contacts-own    | +withdrawal-or-contacts-own | +withdrawal-or-contacts-own | +withdrawal-or-contacts-own | +withdrawal-or-contacts-own | +withdrawal-or-contacts-own
            share acme                             | -partner-sharing-not-consented | -partner-sharing-not-consented | +partner-sharing-consented     | -stop-processing   | -erasure-requested  | +partner-sharing-consented     | +partner-sharing-consented     | -partner-sharing-not-consented
            share globex                           | -no-partner-purpose            | -no-partner-purpose            | -no-partner-purpose            | -stop-processing   | -erasure-requested  | -no-partner-purpose            | -no-partner-purpose            | -no-partner-purpose
            notify acme                            | +revocation-notice-to-partner  | +revocation-notice-to-partner  | +revocation-notice-to-partner  | +revocation-notice-to-partner | +revocation-notice-to-partner | +revocation-notice-to-partner | +revocation-notice-to-partner | +revocation-notice-to-partner
            use share-with-partner-acme            | -purpose-not-consented         | -purpose-not-consented         | +purpose-consented             | -stop-processing   | -erasure-requested  | +purpose-consented             | +purpose-consented             | -purpose-not-consented
            use automated-decisions                | -purpose-not-consented         | -purpose-not-consented         | -purpose-not-consented         | -stop-processing   | -erasure-requested  | -purpose-not-consented         | -purpose-not-consented         | -purpose-not-consented
            use newsletter                         | -not-a-custom-purpose          | -not-a-custom-purpose          | -not-a-custom-purpose          | -not-a-custom-purpose | -not-a-custom-purpose | -not-a-custom-purpose | -not-a-custom-purpose | -not-a-custom-purpose
            use no-such-purpose                    | -unknown-purpose               | -unknown-purpose               | -unknown-purpose               | -unknown-purpose   | -unknown-purpose    | -unknown-purpose               | -unknown-purpose               | -unknown-purpose
            keep inactive                          | -no-consent-no-activity        | +email-opt-in                  | +email-opt-in                  | +restricted-data-kept | +erasure-under-way | +consent-granted            | +consent-granted               | +email-opt-in
            keep active                            | +recent-activity               | +email-opt-in                  | +email-opt-in                  | +restricted-data-kept | +erasure-under-way | +consent-granted            | +consent-granted               | +email-opt-in
            write-back vtiger                      | +consents-block-to-crm         | +consents-block-to-crm         | +consents-block-to-crm         | +consents-block-to-crm | +consents-block-to-crm | +consents-block-to-crm | +consents-block-to-crm | +consents-block-to-crm
            """;

    private static final List<Purpose> PURPOSES = List.of(
            purpose("newsletter", PurposeKind.EMAIL_LIST, false, null, null),
            purpose("product-news", PurposeKind.EMAIL_LIST, false, null, null),
            purpose("store-national-id", PurposeKind.FIELD_STORAGE, true, "nationalId", null),
            purpose("store-card-number", PurposeKind.FIELD_STORAGE, false, "cardNumber", null),
            purpose("engagement-tracking", PurposeKind.TRACKING, false, null, null),
            purpose("share-with-partner-acme", PurposeKind.CUSTOM, false, null, "acme"),
            purpose("automated-decisions", PurposeKind.CUSTOM, false, null, null),
            purpose("stop-processing", PurposeKind.STOP_PROCESSING, false, null, null),
            purpose("erasure", PurposeKind.ERASURE, false, null, null));

    private static final Map<String, String> D_ANSWERS = Map.of("newsletter", "G", "store-card-number", "G",
            "engagement-tracking", "G", "share-with-partner-acme", "G");

    private static final Map<String, ContactState> STATES = new LinkedHashMap<>();

    static {
        STATES.put("N", state(EmailOptInStatus.NONE, Map.of()));
        STATES.put("S", state(EmailOptInStatus.SINGLE_OPT_IN_USER, Map.of("newsletter", "G")));
        STATES.put("D", state(EmailOptInStatus.DOUBLE_OPT_IN, D_ANSWERS));
        STATES.put("P", state(EmailOptInStatus.DOUBLE_OPT_IN, with(D_ANSWERS, "stop-processing", "G")));
        STATES.put("E", state(EmailOptInStatus.DOUBLE_OPT_IN, with(D_ANSWERS, "erasure", "G")));
        STATES.put("U", state(EmailOptInStatus.OPT_OUT_USER, D_ANSWERS));
        STATES.put("C", state(EmailOptInStatus.OPT_OUT_CONTACT, D_ANSWERS));
        STATES.put("R", state(EmailOptInStatus.DOUBLE_OPT_IN, PURPOSES.stream()
                .filter(p -> p.kind() != PurposeKind.STOP_PROCESSING && p.kind() != PurposeKind.ERASURE)
                .collect(Collectors.toMap(Purpose::id, p -> "R"))));
    }

    @TestFactory
    Stream<DynamicTest> everyActIsDecidedForEveryStateAsTheTableSays() {
        var rows = TABLE.lines().filter(l -> !l.isBlank()).toList();
        List<String> columns = cells(rows.get(0)).subList(1, cells(rows.get(0)).size());
        assertThat(columns).containsExactlyElementsOf(STATES.keySet());
        var tests = new ArrayList<DynamicTest>();
        for (String row : rows.subList(1, rows.size())) {
            List<String> cells = cells(row);
            Question question = question(cells.get(0));
            for (int col = 0; col < columns.size(); col++) {
                String expected = cells.get(col + 1);
                ContactState state = STATES.get(columns.get(col));
                tests.add(DynamicTest.dynamicTest(cells.get(0) + " in state " + columns.get(col) + " -> " + expected, () -> {
                    Decision decision = ConsentRules.decide(question.act(), state, SendingPolicy.DOUBLE_ONLY,
                            question.inContactsConversation());
                    assertThat((decision.allowed() ? "+" : "-") + decision.rule()).isEqualTo(expected);
                    assertThat(decision.reason()).isNotBlank();
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void theTableCoversEveryKindOfActAndEveryEmailKind() {
        Set<Class<?>> acts = TABLE.lines().skip(1).filter(l -> !l.isBlank())
                .map(l -> question(cells(l).get(0)).act().getClass()).collect(Collectors.toSet());
        assertThat(acts).containsExactlyInAnyOrder(Act.class.getPermittedSubclasses());
        Set<EmailKind> kinds = TABLE.lines().skip(1).filter(l -> !l.isBlank())
                .map(l -> question(cells(l).get(0)).act())
                .filter(a -> a instanceof Act.SendEmail).map(a -> ((Act.SendEmail) a).kind())
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(EmailKind.class)));
        assertThat(kinds).containsExactlyInAnyOrder(EmailKind.values());
    }

    @Test
    void withoutATrackingPurposeNobodyIsTracked() {
        var state = new ContactState(new ContactId(UUID.randomUUID()), EmailOptInStatus.DOUBLE_OPT_IN, false, false, Map.of());
        Decision decision = ConsentRules.decide(new Act.TrackEngagement(), state, SendingPolicy.DOUBLE_ONLY, false);
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.rule()).isEqualTo("no-tracking-purpose");
    }

    @Test
    void campaignsFollowTheConfiguredSendingPolicy() {
        ContactState single = STATES.get("S");
        var campaign = new Act.SendEmail(EmailKind.CAMPAIGN, "newsletter", List.of());
        assertThat(ConsentRules.decide(campaign, single, SendingPolicy.DOUBLE_ONLY, false).allowed()).isFalse();
        assertThat(ConsentRules.decide(campaign, single, SendingPolicy.DOUBLE_AND_SINGLE_USER, false).rule())
                .isEqualTo("campaign-opt-in");
    }

    /** Retention rows: the period began here; an "active" contact acted a second after it, an "inactive" one a second before. */
    private static final java.time.Instant PERIOD_START = java.time.Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void anOptedOutContactWhoGrantedNothingIsKeptOnlyWhileActive() {
        ContactState optedOut = state(EmailOptInStatus.OPT_OUT_CONTACT, Map.of("newsletter", "R"));
        assertThat(ConsentRules.decide(new Act.KeepData(PERIOD_START.minusSeconds(1), PERIOD_START), optedOut,
                SendingPolicy.DOUBLE_ONLY, false).rule()).isEqualTo("no-consent-no-activity");
        assertThat(ConsentRules.decide(new Act.KeepData(PERIOD_START, PERIOD_START), optedOut,
                SendingPolicy.DOUBLE_ONLY, false).rule()).as("activity at the period's very start counts").isEqualTo("recent-activity");
    }

    private record Question(Act act, boolean inContactsConversation) {
    }

    private static Question question(String text) {
        String[] w = text.split(" ");
        return switch (w[0]) {
            case "email" -> new Question(new Act.SendEmail(EmailKind.valueOf(w[1]),
                    w.length > 2 && !w[2].equals("-") && !w[2].equals("in-contacts-conversation") ? w[2] : null,
                    List.of("<m1@example.org>")), text.endsWith("in-contacts-conversation"));
            case "track" -> new Question(new Act.TrackEngagement(), false);
            case "store" -> new Question(new Act.StoreField(w[1]), false);
            case "edit" -> new Question(new Act.EditContact(ActorKind.valueOf(w[1])), false);
            case "answer" -> new Question(new Act.AnswerPurpose(ActorKind.valueOf(w[1]), w[3], w[2].equals("grant")), false);
            case "opt-in" -> new Question(new Act.ChangeOptIn(ActorKind.valueOf(w[1]), OptInAction.valueOf(w[2])), false);
            case "share" -> new Question(new Act.ShareWithPartner(w[1]), false);
            case "notify" -> new Question(new Act.NotifyPartner(w[1]), false);
            case "use" -> new Question(new Act.UsePurpose(w[1]), false);
            case "write-back" -> new Question(new Act.WriteBackToCrm(w[1]), false);
            case "keep" -> new Question(new Act.KeepData(w[1].equals("active") ? PERIOD_START.plusSeconds(1)
                    : PERIOD_START.minusSeconds(1), PERIOD_START), false);
            default -> throw new IllegalArgumentException("unknown act in the table: " + text);
        };
    }

    private static List<String> cells(String row) {
        return Arrays.stream(row.split("\\|")).map(String::trim).toList();
    }

    private static Purpose purpose(String id, PurposeKind kind, boolean defaultValue, String field, String partner) {
        return new Purpose(id, kind, Map.of("en", id), Map.of(), defaultValue, null, field, partner);
    }

    private static Map<String, String> with(Map<String, String> answers, String purpose, String value) {
        var all = new LinkedHashMap<>(answers);
        all.put(purpose, value);
        return all;
    }

    /** Builds the state as the projection reader would: every purpose, its default where unanswered. */
    private static ContactState state(EmailOptInStatus status, Map<String, String> answers) {
        var purposes = new LinkedHashMap<String, ContactState.PurposeValue>();
        for (Purpose p : PURPOSES) {
            String answer = answers.get(p.id());
            purposes.put(p.id(), new ContactState.PurposeValue(p, answer == null ? p.defaultValue() : answer.equals("G"), answer != null));
        }
        return new ContactState(new ContactId(UUID.randomUUID()), status,
                purposes.get("stop-processing").granted(), purposes.get("erasure").granted(), purposes);
    }
}
