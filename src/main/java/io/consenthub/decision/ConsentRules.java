package io.consenthub.decision;

import io.consenthub.consent.ActorKind;
import io.consenthub.consent.ContactState;
import io.consenthub.consent.PurposeKind;
import io.consenthub.consent.optin.EmailOptInStatus;
import io.consenthub.consent.optin.SendingPolicy;

import java.util.List;
import java.util.Optional;

/**
 * The rules of "may we?", as pure functions of an act and one {@link ContactState}: no store, no
 * clock, no configuration beyond the sending policy, so {@code ConsentRulesTest} can check every
 * act against every relevant state from a table written from the design (DESIGN §1.1, §1.3, §3).
 *
 * <p>Two principles run through every rule. Withdrawing is never harder than consenting: an
 * opt-out, a revocation and a write-back of the consents block are allowed whatever else holds.
 * And the contact's restrictions (stop processing, erasure requested) stop everything else that
 * would use or change their data, for every actor but the contact and the hub itself.
 */
final class ConsentRules {

    private ConsentRules() {
    }

    /**
     * @param replyInContactConversation for a reply: whether it answers a conversation the contact started
     */
    static Decision decide(Act act, ContactState state, SendingPolicy policy, boolean replyInContactConversation) {
        if (act instanceof Act.SendEmail email) {
            return email(email, state, policy, replyInContactConversation);
        } else if (act instanceof Act.TrackEngagement) {
            return track(state);
        } else if (act instanceof Act.StoreField store) {
            return storeField(store, state);
        } else if (act instanceof Act.EditContact edit) {
            return edit(edit.actor(), state);
        } else if (act instanceof Act.AnswerPurpose answer) {
            return answer(answer, state);
        } else if (act instanceof Act.ChangeOptIn change) {
            return optIn(change, state);
        } else if (act instanceof Act.ShareWithPartner share) {
            return share(share, state);
        } else if (act instanceof Act.NotifyPartner) {
            return Decision.allow("revocation-notice-to-partner",
                    "a partner that received the contact is always told that it may no longer use the data");
        } else if (act instanceof Act.UsePurpose use) {
            return use(use, state);
        } else if (act instanceof Act.KeepData keep) {
            return keep(keep, state);
        } else if (act instanceof Act.WriteBackToCrm) {
            return Decision.allow("consents-block-to-crm",
                    "a CRM holding the contact always receives their consents block, restrictions and opt-outs included");
        }
        throw new IllegalArgumentException("no rule decides " + act.getClass().getSimpleName());
    }

    private static Decision email(Act.SendEmail act, ContactState state, SendingPolicy policy, boolean replyInContactConversation) {
        if (act.kind() == EmailKind.REPLY && replyInContactConversation) {
            return Decision.allow("reply-to-contact-conversation", "a reply within a conversation the contact started");
        }
        if (act.kind() == EmailKind.NOTICE) {
            return Decision.allow("notice-of-contacts-own-act", "a notice the contact's own request requires");
        }
        Optional<Decision> restricted = restriction(state);
        if (restricted.isPresent()) {
            return restricted.get();
        }
        EmailOptInStatus status = state.emailOptIn();
        if (status.isOptOut()) {
            return Decision.refuse("opted-out", "the contact is " + status + "; opt-outs stop every new email");
        }
        return switch (act.kind()) {
            case CAMPAIGN -> campaign(status, state, policy, act.list());
            case DOUBLE_OPT_IN -> status == EmailOptInStatus.DOUBLE_OPT_IN
                    ? Decision.refuse("already-double-opt-in", "the contact has already confirmed")
                    : Decision.allow("double-opt-in-request", "a confirmation request to a contact who is not opted out");
            case AUTORESPONDER, WORKFLOW, AD_HOC, REPLY, NOTICE ->
                    Decision.allow("not-opted-out", "the contact is " + status + " and has not opted out");
        };
    }

    private static Decision campaign(EmailOptInStatus status, ContactState state, SendingPolicy policy, String list) {
        if (!policy.permitsCampaignTo(status)) {
            return Decision.refuse("sending-policy", "the sending policy " + policy + " does not email contacts who are "
                    + status + "; it emails " + policy.campaignableStatuses());
        }
        if (list == null) {
            return Decision.refuse("no-list", "a campaign must name the email list it goes to");
        }
        var purpose = state.purpose(list).filter(p -> p.purpose().kind() == PurposeKind.EMAIL_LIST);
        if (purpose.isEmpty()) {
            return Decision.refuse("unknown-list", "'" + list + "' is not an email list");
        }
        if (!purpose.get().granted()) {
            return Decision.refuse("not-subscribed", "the contact is not subscribed to the list " + list);
        }
        return Decision.allow("campaign-opt-in", "the contact is " + status + " and subscribed to " + list);
    }

    /**
     * Retention: data is kept while it is restricted (Art. 18: stored, not used — never erased by
     * a timer), while an erasure request is with the erasure job, while the contact is opted in
     * to email or has granted any consent themselves (a default does not count: nobody chose it),
     * and while there was activity within the period. Otherwise nothing justifies keeping it.
     */
    private static Decision keep(Act.KeepData keep, ContactState state) {
        if (state.stopProcessing()) {
            return Decision.allow("restricted-data-kept", "the contact asked to stop processing: their data is kept, unused");
        }
        if (state.erasureRequested()) {
            return Decision.allow("erasure-under-way", "the contact asked for erasure: the erasure job, not retention, erases");
        }
        EmailOptInStatus status = state.emailOptIn();
        if (status == EmailOptInStatus.SINGLE_OPT_IN_USER || status == EmailOptInStatus.SINGLE_OPT_IN_WEBFORM
                || status == EmailOptInStatus.DOUBLE_OPT_IN) {
            return Decision.allow("email-opt-in", "the contact is " + status);
        }
        boolean granted = state.purposes().values().stream().anyMatch(p -> p.answered() && p.granted()
                && p.purpose().kind() != PurposeKind.STOP_PROCESSING && p.purpose().kind() != PurposeKind.ERASURE);
        if (granted) {
            return Decision.allow("consent-granted", "the contact granted a consent");
        }
        if (!keep.lastActivity().isBefore(keep.inactiveBefore())) {
            return Decision.allow("recent-activity", "the contact was active within the retention period");
        }
        return Decision.refuse("no-consent-no-activity", "no consent granted and no activity since " + keep.lastActivity());
    }

    private static Decision track(ContactState state) {
        List<ContactState.PurposeValue> tracking = state.ofKind(PurposeKind.TRACKING);
        if (tracking.isEmpty()) {
            return Decision.refuse("no-tracking-purpose", "no tracking consent is configured, so nobody is tracked");
        }
        Optional<Decision> restricted = restriction(state);
        if (restricted.isPresent()) {
            return restricted.get();
        }
        if (!tracking.get(0).granted()) {
            return Decision.refuse("tracking-not-consented", "the contact has not consented to engagement tracking");
        }
        return Decision.allow("tracking-consented", "the contact consented to engagement tracking");
    }

    private static Decision storeField(Act.StoreField act, ContactState state) {
        var storage = state.storageOf(act.field());
        if (storage.isEmpty()) {
            return Decision.allow("not-a-sensitive-field", "'" + act.field() + "' needs no storage consent");
        }
        if (state.erasureRequested()) {
            return Decision.refuse("erasure-requested", "the contact asked for their data to be erased");
        }
        if (!storage.get().granted()) {
            String id = storage.get().purpose().id();
            return storage.get().answered()
                    ? Decision.refuse("field-consent-revoked", "the contact revoked consent '" + id + "' to store '" + act.field() + "'")
                    : Decision.refuse("field-consent-not-given", "the contact never gave consent '" + id
                            + "' to store '" + act.field() + "', and it is not granted by default");
        }
        return Decision.allow("field-storage-consented", "the contact's consent '" + storage.get().purpose().id() + "' allows storing it");
    }

    private static Decision edit(ActorKind actor, ContactState state) {
        if (actor == ActorKind.CONTACT || actor == ActorKind.SYSTEM) {
            return Decision.allow("own-or-hub-edit", "the contact's own change, or one the hub's rules require");
        }
        return restriction(state).orElseGet(() -> Decision.allow("no-restriction", "the contact has restricted nothing"));
    }

    private static Decision answer(Act.AnswerPurpose act, ContactState state) {
        if (act.actor() == ActorKind.CONTACT || act.actor() == ActorKind.SYSTEM) {
            return Decision.allow("own-or-hub-answer", "the contact's own answer, or one the hub's rules require");
        }
        if (!act.grant()) {
            return Decision.allow("withdrawal-always-allowed", "a withdrawal is never harder than a consent");
        }
        return restriction(state).orElseGet(() -> Decision.allow("no-restriction", "the contact has restricted nothing"));
    }

    private static Decision optIn(Act.ChangeOptIn act, ContactState state) {
        if (act.actor() == ActorKind.CONTACT || act.withdraws()) {
            return Decision.allow("withdrawal-or-contacts-own", "an opt-out, or the contact's own act");
        }
        return restriction(state).orElseGet(() -> Decision.allow("no-restriction", "the contact has restricted nothing"));
    }

    private static Decision share(Act.ShareWithPartner act, ContactState state) {
        Optional<Decision> restricted = restriction(state);
        if (restricted.isPresent()) {
            return restricted.get();
        }
        var purposes = state.sharingWith(act.partner());
        if (purposes.isEmpty()) {
            return Decision.refuse("no-partner-purpose", "no consent allows sharing with partner " + act.partner());
        }
        return purposes.stream().filter(ContactState.PurposeValue::granted).findFirst()
                .map(p -> Decision.allow("partner-sharing-consented", "the contact gave consent '" + p.purpose().id() + "'"))
                .orElseGet(() -> Decision.refuse("partner-sharing-not-consented",
                        "the contact has not consented to sharing with partner " + act.partner()));
    }

    private static Decision use(Act.UsePurpose act, ContactState state) {
        ContactState.PurposeValue value = state.purposes().get(act.purpose());
        if (value == null) {
            return Decision.refuse("unknown-purpose", "no purpose '" + act.purpose() + "' is configured");
        }
        if (value.purpose().kind() != PurposeKind.CUSTOM) {
            return Decision.refuse("not-a-custom-purpose", "'" + act.purpose() + "' is a " + value.purpose().kind()
                    + " purpose; its own act decides it");
        }
        Optional<Decision> restricted = restriction(state);
        if (restricted.isPresent()) {
            return restricted.get();
        }
        return value.granted()
                ? Decision.allow("purpose-consented", "the contact's consent '" + act.purpose() + "' is effectively granted")
                : Decision.refuse("purpose-not-consented", "the contact has not consented to '" + act.purpose() + "'");
    }

    private static Optional<Decision> restriction(ContactState state) {
        if (state.erasureRequested()) {
            return Optional.of(Decision.refuse("erasure-requested", "the contact asked for their data to be erased"));
        }
        if (state.stopProcessing()) {
            return Optional.of(Decision.refuse("stop-processing", "the contact asked to stop processing their data"));
        }
        return Optional.empty();
    }
}
