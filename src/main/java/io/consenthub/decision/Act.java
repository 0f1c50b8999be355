package io.consenthub.decision;

import io.consenthub.consent.ActorKind;
import io.consenthub.consent.optin.OptInAction;

import java.util.List;

/**
 * Something the hub (or someone through it) wants to do to or with a contact's data. The decision
 * service answers "may this act happen to this contact now?" for every one of them, from one
 * reading of the contact's state; {@link #subject()} names the act in refusals and metrics.
 */
public sealed interface Act {

    /** The act's name in refusal records and metric labels: never personal data. */
    String subject();

    /**
     * Send one email.
     *
     * @param list       for a campaign, the email-list purpose it goes to
     * @param references for a reply, the Message-IDs it answers (In-Reply-To and References)
     */
    record SendEmail(EmailKind kind, String list, List<String> references) implements Act {
        public SendEmail {
            references = references == null ? List.of() : List.copyOf(references);
        }

        public static SendEmail of(EmailKind kind) {
            return new SendEmail(kind, null, List.of());
        }

        @Override
        public String subject() {
            return "email:" + kind;
        }
    }

    /** Add a tracking pixel or tracked link, or record an open, click or view. */
    record TrackEngagement() implements Act {
        @Override
        public String subject() {
            return "track";
        }
    }

    /** Keep a value of this attribute in the hub (sensitive fields need their storage consent). */
    record StoreField(String field) implements Act {
        @Override
        public String subject() {
            return "store-field:" + field;
        }
    }

    /** Change the contact's record (email, attributes, CRM links) on behalf of an actor. */
    record EditContact(ActorKind actor) implements Act {
        @Override
        public String subject() {
            return "edit:" + actor;
        }
    }

    /**
     * Record an answer to a purpose on behalf of an actor.
     *
     * @param grant true for a grant, false for a withdrawal
     */
    record AnswerPurpose(ActorKind actor, String purpose, boolean grant) implements Act {
        @Override
        public String subject() {
            return "answer:" + purpose;
        }
    }

    /** Move the contact's Email Opt-In Status on behalf of an actor (the move itself is OptInRules'). */
    record ChangeOptIn(ActorKind actor, OptInAction action) implements Act {
        @Override
        public String subject() {
            return "opt-in:" + action;
        }

        /** Whether the action restricts what may be done (an opt-out), rather than allowing more. */
        public boolean withdraws() {
            return action == OptInAction.SET_OPT_OUT_USER || action == OptInAction.OPT_OUT_BY_CONTACT
                    || action == OptInAction.CHANGE_PRIMARY_EMAIL;
        }
    }

    /** Send the contact's data to a partner. */
    record ShareWithPartner(String partner) implements Act {
        @Override
        public String subject() {
            return "share:" + partner;
        }
    }

    /**
     * Tell a partner that received the contact that it may no longer use what it received (a
     * revocation notice). Always allowed: like an opt-out, it only ever narrows what may be done.
     */
    record NotifyPartner(String partner) implements Act {
        @Override
        public String subject() {
            return "notify:" + partner;
        }
    }

    /**
     * Use the contact's data for one custom purpose (a workflow route's question, e.g. "may we make
     * an automated decision about this contact?"): the purpose's consent must be effectively granted.
     */
    record UsePurpose(String purpose) implements Act {
        @Override
        public String subject() {
            return "use:" + purpose;
        }
    }

    /**
     * Keep the contact's personal data (the retention question, GDPR Art. 5(1)(e)): asked of
     * contacts whose last activity is {@code lastActivity}, against the configured period's start
     * {@code inactiveBefore}. Refused, the contact is a retention candidate.
     */
    record KeepData(java.time.Instant lastActivity, java.time.Instant inactiveBefore) implements Act {
        @Override
        public String subject() {
            return "keep-data";
        }
    }

    /** Write the contact's consents block into one CRM. */
    record WriteBackToCrm(String connectorId) implements Act {
        @Override
        public String subject() {
            return "write-back:" + connectorId;
        }
    }
}
