package io.consenthub.consent.optin;

import io.consenthub.consent.ActorKind;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static io.consenthub.consent.ActorKind.CONTACT;
import static io.consenthub.consent.ActorKind.CRM;
import static io.consenthub.consent.ActorKind.SYSTEM;
import static io.consenthub.consent.ActorKind.USER;
import static io.consenthub.consent.optin.EmailOptInStatus.DOUBLE_OPT_IN;
import static io.consenthub.consent.optin.EmailOptInStatus.NONE;
import static io.consenthub.consent.optin.EmailOptInStatus.OPT_OUT_CONTACT;
import static io.consenthub.consent.optin.EmailOptInStatus.OPT_OUT_USER;
import static io.consenthub.consent.optin.EmailOptInStatus.SINGLE_OPT_IN_USER;
import static io.consenthub.consent.optin.EmailOptInStatus.SINGLE_OPT_IN_WEBFORM;

/**
 * The one owner of the Email Opt-In Status rules of DESIGN §1.3: who may move a contact's status,
 * from where, to where. Everything that changes a status asks this class first and records
 * nothing when it refuses, so a rule can only be changed here.
 */
public final class OptInRules {

    /** A double-opt-in email may be requested at most once in this window per contact. */
    public static final Duration DOUBLE_OPT_IN_REQUEST_INTERVAL = Duration.ofHours(24);

    private static final Map<OptInAction, Set<ActorKind>> PERMITTED_ACTORS = Map.of(
            OptInAction.SET_SINGLE_OPT_IN_USER, EnumSet.of(USER),
            OptInAction.SUBMIT_WEB_FORM_OPT_IN, EnumSet.of(CONTACT),
            OptInAction.REQUEST_DOUBLE_OPT_IN, EnumSet.of(USER, SYSTEM),
            OptInAction.CONFIRM_DOUBLE_OPT_IN, EnumSet.of(CONTACT),
            OptInAction.SET_OPT_OUT_USER, EnumSet.of(USER, CRM),
            OptInAction.REVERT_OPT_OUT_USER, EnumSet.of(USER),
            OptInAction.OPT_OUT_BY_CONTACT, EnumSet.of(CONTACT),
            OptInAction.CHANGE_PRIMARY_EMAIL, EnumSet.allOf(ActorKind.class));

    private static final String CONTACT_OPTED_OUT =
            "the contact opted out themselves; no user can reverse that, only a new web-form submission by the contact";

    private OptInRules() {
    }

    public static OptInDecision decide(EmailOptInStatus current, OptInAction action, ActorKind actor, OptInContext context) {
        Set<ActorKind> permitted = PERMITTED_ACTORS.get(action);
        if (!permitted.contains(actor)) {
            return OptInDecision.refuse("%s may not %s; only %s may".formatted(
                    describe(actor), describe(action), describe(permitted)));
        }
        return switch (action) {
            case SET_SINGLE_OPT_IN_USER -> setSingleOptInUser(current);
            case SUBMIT_WEB_FORM_OPT_IN -> webFormOptIn(current);
            case REQUEST_DOUBLE_OPT_IN -> requestDoubleOptIn(current, context);
            case CONFIRM_DOUBLE_OPT_IN -> confirmDoubleOptIn(current);
            case SET_OPT_OUT_USER -> setOptOutUser(current);
            case REVERT_OPT_OUT_USER -> revertOptOutUser(current, context);
            case OPT_OUT_BY_CONTACT -> current == OPT_OUT_CONTACT
                    ? OptInDecision.unchanged(current, "the contact has already opted out")
                    : OptInDecision.apply(OPT_OUT_CONTACT, "opted out by the contact");
            case CHANGE_PRIMARY_EMAIL -> current == NONE
                    ? OptInDecision.unchanged(current, "status is already NONE")
                    : OptInDecision.apply(NONE, "primary email changed; the new address has given no opt-in");
        };
    }

    private static OptInDecision setSingleOptInUser(EmailOptInStatus current) {
        return switch (current) {
            case NONE -> OptInDecision.apply(SINGLE_OPT_IN_USER, "opted in by a user");
            case SINGLE_OPT_IN_USER -> OptInDecision.unchanged(current, "already SINGLE_OPT_IN_USER");
            case SINGLE_OPT_IN_WEBFORM, DOUBLE_OPT_IN -> OptInDecision.refuse(
                    "the contact is already " + current + ", which rests on stronger evidence than a user's word");
            case OPT_OUT_USER -> OptInDecision.refuse(
                    "the contact was opted out by a user; revert that opt-out instead (REVERT_OPT_OUT_USER) if the contact asked");
            case OPT_OUT_CONTACT -> OptInDecision.refuse(CONTACT_OPTED_OUT);
        };
    }

    private static OptInDecision webFormOptIn(EmailOptInStatus current) {
        return switch (current) {
            case NONE, SINGLE_OPT_IN_USER, OPT_OUT_USER, OPT_OUT_CONTACT ->
                    OptInDecision.apply(SINGLE_OPT_IN_WEBFORM, "opted in by web form");
            case SINGLE_OPT_IN_WEBFORM -> OptInDecision.unchanged(current, "already opted in by web form");
            case DOUBLE_OPT_IN -> OptInDecision.unchanged(current, "already DOUBLE_OPT_IN");
        };
    }

    private static OptInDecision requestDoubleOptIn(EmailOptInStatus current, OptInContext context) {
        return switch (current) {
            case NONE, SINGLE_OPT_IN_USER, SINGLE_OPT_IN_WEBFORM -> {
                var last = context.lastDoubleOptInRequestAt();
                if (last != null && last.plus(DOUBLE_OPT_IN_REQUEST_INTERVAL).isAfter(context.now())) {
                    yield OptInDecision.refuse("a double-opt-in email was already requested at " + last
                            + "; the next request is allowed from " + last.plus(DOUBLE_OPT_IN_REQUEST_INTERVAL));
                }
                yield OptInDecision.apply(current, "double-opt-in email requested");
            }
            case DOUBLE_OPT_IN -> OptInDecision.refuse("the contact is already DOUBLE_OPT_IN");
            case OPT_OUT_USER, OPT_OUT_CONTACT -> OptInDecision.refuse(
                    "the contact is " + current + "; a double-opt-in email is never sent to an opted-out contact");
        };
    }

    private static OptInDecision confirmDoubleOptIn(EmailOptInStatus current) {
        return switch (current) {
            case NONE, SINGLE_OPT_IN_USER, SINGLE_OPT_IN_WEBFORM -> OptInDecision.apply(DOUBLE_OPT_IN, "double opt-in confirmed");
            case DOUBLE_OPT_IN -> OptInDecision.unchanged(current, "already DOUBLE_OPT_IN");
            case OPT_OUT_USER, OPT_OUT_CONTACT -> OptInDecision.refuse(
                    "the contact opted out after this double-opt-in email was sent; only a new web-form submission opts back in");
        };
    }

    private static OptInDecision setOptOutUser(EmailOptInStatus current) {
        return switch (current) {
            case NONE, SINGLE_OPT_IN_USER, SINGLE_OPT_IN_WEBFORM, DOUBLE_OPT_IN ->
                    OptInDecision.apply(OPT_OUT_USER, "opted out by a user at the contact's request");
            case OPT_OUT_USER -> OptInDecision.unchanged(current, "already OPT_OUT_USER");
            case OPT_OUT_CONTACT -> OptInDecision.unchanged(current, "the contact has already opted out themselves");
        };
    }

    private static OptInDecision revertOptOutUser(EmailOptInStatus current, OptInContext context) {
        return switch (current) {
            case OPT_OUT_USER -> {
                var restored = context.statusBeforeUserOptOut();
                if (restored == null || restored.isOptOut()) {
                    restored = NONE;
                }
                yield OptInDecision.apply(restored, "user opt-out reversed at the contact's request");
            }
            case OPT_OUT_CONTACT -> OptInDecision.refuse(CONTACT_OPTED_OUT);
            case NONE, SINGLE_OPT_IN_USER, SINGLE_OPT_IN_WEBFORM, DOUBLE_OPT_IN -> OptInDecision.refuse(
                    "the contact is " + current + ", not OPT_OUT_USER; there is no user opt-out to reverse");
        };
    }

    private static String describe(ActorKind actor) {
        return "a " + actor.name().toLowerCase();
    }

    private static String describe(OptInAction action) {
        return action.name().toLowerCase().replace('_', ' ');
    }

    private static String describe(Set<ActorKind> actors) {
        return actors.stream().map(OptInRules::describe).reduce((a, b) -> a + " or " + b).orElse("nobody");
    }
}
