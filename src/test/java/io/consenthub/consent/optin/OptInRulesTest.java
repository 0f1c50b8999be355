package io.consenthub.consent.optin;

import io.consenthub.consent.ActorKind;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.consenthub.consent.optin.EmailOptInStatus.DOUBLE_OPT_IN;
import static io.consenthub.consent.optin.EmailOptInStatus.NONE;
import static io.consenthub.consent.optin.EmailOptInStatus.OPT_OUT_CONTACT;
import static io.consenthub.consent.optin.EmailOptInStatus.OPT_OUT_USER;
import static io.consenthub.consent.optin.EmailOptInStatus.SINGLE_OPT_IN_USER;
import static io.consenthub.consent.optin.EmailOptInStatus.SINGLE_OPT_IN_WEBFORM;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every (status, action, actor) triple against a table written from DESIGN §1.3, not from the code.
 * Cells: a status = applied, moving there; '=' = unchanged (already satisfied); 'x' = refused.
 * Actors outside an action's column are refused in every status.
 */
class OptInRulesTest {

    private static final String TABLE = """
            action                 | actors              | NONE | SIOU | SIOW | DOI  | OOU  | OOC
            SET_SINGLE_OPT_IN_USER | USER                | SIOU | =    | x    | x    | x    | x
            SUBMIT_WEB_FORM_OPT_IN | CONTACT             | SIOW | SIOW | =    | =    | SIOW | SIOW
            REQUEST_DOUBLE_OPT_IN  | USER,SYSTEM         | NONE | SIOU | SIOW | x    | x    | x
            CONFIRM_DOUBLE_OPT_IN  | CONTACT             | DOI  | DOI  | DOI  | =    | x    | x
            SET_OPT_OUT_USER       | USER,CRM            | OOU  | OOU  | OOU  | OOU  | =    | =
            REVERT_OPT_OUT_USER    | USER                | x    | x    | x    | x    | DOI  | x
            OPT_OUT_BY_CONTACT     | CONTACT             | OOC  | OOC  | OOC  | OOC  | OOC  | =
            CHANGE_PRIMARY_EMAIL   | CONTACT,USER,CRM,SYSTEM | = | NONE | NONE | NONE | NONE | NONE
            """;

    private static final Map<String, EmailOptInStatus> SHORT = Map.of(
            "NONE", NONE, "SIOU", SINGLE_OPT_IN_USER, "SIOW", SINGLE_OPT_IN_WEBFORM,
            "DOI", DOUBLE_OPT_IN, "OOU", OPT_OUT_USER, "OOC", OPT_OUT_CONTACT);
    private static final List<EmailOptInStatus> COLUMNS = List.of(
            NONE, SINGLE_OPT_IN_USER, SINGLE_OPT_IN_WEBFORM, DOUBLE_OPT_IN, OPT_OUT_USER, OPT_OUT_CONTACT);
    private static final Instant NOW = Instant.parse("2026-05-25T10:00:00Z");
    /** Before the user opt-out the contact was DOUBLE_OPT_IN, so a revert must restore exactly that. */
    private static final OptInContext CONTEXT = new OptInContext(NOW, null, DOUBLE_OPT_IN);

    @TestFactory
    Stream<DynamicTest> everyStatusActionAndActorIsDecidedAsTheTableSays() {
        var tests = new ArrayList<DynamicTest>();
        var rows = TABLE.lines().skip(1).filter(l -> !l.isBlank()).toList();
        assertThat(rows).hasSize(OptInAction.values().length);
        for (String row : rows) {
            String[] cells = Arrays.stream(row.split("\\|")).map(String::trim).toArray(String[]::new);
            OptInAction action = OptInAction.valueOf(cells[0]);
            Set<ActorKind> permitted = Arrays.stream(cells[1].split(",")).map(ActorKind::valueOf)
                    .collect(Collectors.toCollection(() -> EnumSet.noneOf(ActorKind.class)));
            for (int col = 0; col < COLUMNS.size(); col++) {
                EmailOptInStatus status = COLUMNS.get(col);
                String cell = cells[col + 2];
                for (ActorKind actor : ActorKind.values()) {
                    String expected = permitted.contains(actor) ? cell : "x";
                    tests.add(DynamicTest.dynamicTest(status + " + " + action + " by " + actor + " -> " + expected,
                            () -> assertDecision(OptInRules.decide(status, action, actor, CONTEXT), status, expected)));
                }
            }
        }
        assertThat(tests).hasSize(EmailOptInStatus.values().length * OptInAction.values().length * ActorKind.values().length);
        return tests.stream();
    }

    private static void assertDecision(OptInDecision decision, EmailOptInStatus current, String expected) {
        assertThat(decision.reason()).isNotBlank();
        switch (expected) {
            case "x" -> assertThat(decision.outcome()).isEqualTo(OptInDecision.Outcome.REFUSE);
            case "=" -> {
                assertThat(decision.outcome()).isEqualTo(OptInDecision.Outcome.UNCHANGED);
                assertThat(decision.next()).isEqualTo(current);
            }
            default -> {
                assertThat(decision.outcome()).isEqualTo(OptInDecision.Outcome.APPLY);
                assertThat(decision.next()).isEqualTo(SHORT.get(expected));
            }
        }
    }

    @Test
    void aUserCannotReverseTheContactsOwnOptOutAndIsToldWhy() {
        var decision = OptInRules.decide(OPT_OUT_CONTACT, OptInAction.REVERT_OPT_OUT_USER, ActorKind.USER, CONTEXT);
        assertThat(decision.refused()).isTrue();
        assertThat(decision.reason()).contains("no user can reverse").contains("web-form");
    }

    @Test
    void revertingAUserOptOutWithNoEarlierStatusReturnsToNone() {
        var decision = OptInRules.decide(OPT_OUT_USER, OptInAction.REVERT_OPT_OUT_USER, ActorKind.USER, OptInContext.at(NOW));
        assertThat(decision.next()).isEqualTo(NONE);
    }

    @Test
    void aDoubleOptInRequestIsRefusedWithinTwentyFourHoursOfTheLastOne() {
        var recent = new OptInContext(NOW, NOW.minus(Duration.ofHours(24)).plusSeconds(1), null);
        var decision = OptInRules.decide(SINGLE_OPT_IN_WEBFORM, OptInAction.REQUEST_DOUBLE_OPT_IN, ActorKind.USER, recent);
        assertThat(decision.refused()).isTrue();
        assertThat(decision.reason()).contains("already requested");
    }

    @Test
    void aDoubleOptInRequestIsAllowedAgainAfterTwentyFourHours() {
        var dayOld = new OptInContext(NOW, NOW.minus(Duration.ofHours(24)), null);
        var decision = OptInRules.decide(SINGLE_OPT_IN_WEBFORM, OptInAction.REQUEST_DOUBLE_OPT_IN, ActorKind.SYSTEM, dayOld);
        assertThat(decision.applies()).isTrue();
        assertThat(decision.next()).isEqualTo(SINGLE_OPT_IN_WEBFORM);
    }

    @Test
    void eachSendingPolicyEmailsExactlyItsStatuses() {
        assertThat(SendingPolicy.DOUBLE_ONLY.campaignableStatuses()).containsExactly(DOUBLE_OPT_IN);
        assertThat(SendingPolicy.DOUBLE_AND_SINGLE_USER.campaignableStatuses())
                .containsExactlyInAnyOrder(DOUBLE_OPT_IN, SINGLE_OPT_IN_USER);
        assertThat(SendingPolicy.DOUBLE_SINGLE_USER_AND_WEBFORM.campaignableStatuses())
                .containsExactlyInAnyOrder(DOUBLE_OPT_IN, SINGLE_OPT_IN_USER, SINGLE_OPT_IN_WEBFORM);
        for (SendingPolicy policy : SendingPolicy.values()) {
            for (EmailOptInStatus status : EnumSet.of(NONE, OPT_OUT_USER, OPT_OUT_CONTACT)) {
                assertThat(policy.permitsCampaignTo(status)).as(policy + " must not email " + status).isFalse();
            }
        }
    }
}
