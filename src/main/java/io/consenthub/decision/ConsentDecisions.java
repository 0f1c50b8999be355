package io.consenthub.decision;

import io.consenthub.consent.ConsentLedger;
import io.consenthub.consent.ConsentValue;
import io.consenthub.consent.Purpose;
import io.consenthub.consent.PurposeCatalog;
import io.consenthub.consent.PurposeKind;
import io.consenthub.contact.ContactId;
import io.consenthub.consent.optin.EmailOptInStatus;
import io.consenthub.consent.optin.SendingPolicy;
import io.consenthub.shared.InvalidInputException;
import org.springframework.stereotype.Service;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one source of truth for "may we?" (DESIGN §3): may this kind of email go to this contact
 * now, may the contact be tracked. Every route asks through the {@code consentGate} policy;
 * nothing reads consent columns by itself.
 */
@Service
public class ConsentDecisions {

    private final ConsentLedger ledger;
    private final PurposeCatalog catalog;
    private final Conversations conversations;
    private final SendingPolicy policy;

    ConsentDecisions(ConsentLedger ledger, PurposeCatalog catalog, Conversations conversations, EmailSettings settings) {
        this.ledger = ledger;
        this.catalog = catalog;
        this.conversations = conversations;
        this.policy = settings.sendingPolicy();
    }

    public SendingPolicy sendingPolicy() {
        return policy;
    }

    /**
     * @param list       for a campaign, the email-list purpose it goes to
     * @param references for a reply, the Message-IDs it answers (In-Reply-To and References)
     */
    public Decision mayEmail(ContactId contact, EmailKind kind, String list, Collection<String> references) {
        Optional<Map<String, String>> found = ledger.stateOfExisting(contact);
        if (found.isEmpty()) {
            return Decision.refuse("unknown-contact", "the hub holds no contact " + contact);
        }
        if (kind == EmailKind.REPLY && references != null && conversations.startedByContact(contact, references)) {
            return Decision.allow("reply-to-contact-conversation", "a reply within a conversation the contact started");
        }
        Map<String, String> state = found.get();
        if (kind == EmailKind.NOTICE) {
            return Decision.allow("notice-of-contacts-own-act", "a notice the contact's own request requires");
        }
        if (granted(state, PurposeKind.ERASURE)) {
            return Decision.refuse("erasure-requested", "the contact asked for their data to be erased");
        }
        if (granted(state, PurposeKind.STOP_PROCESSING)) {
            return Decision.refuse("stop-processing", "the contact asked to stop processing their data");
        }
        EmailOptInStatus status = status(state);
        if (status.isOptOut()) {
            return Decision.refuse("opted-out", "the contact is " + status + "; opt-outs stop every new email");
        }
        return switch (kind) {
            case CAMPAIGN -> campaign(status, state, list);
            case DOUBLE_OPT_IN -> status == EmailOptInStatus.DOUBLE_OPT_IN
                    ? Decision.refuse("already-double-opt-in", "the contact has already confirmed")
                    : Decision.allow("double-opt-in-request", "a confirmation request to a contact who is not opted out");
            case AUTORESPONDER, WORKFLOW, AD_HOC, REPLY, NOTICE ->
                    Decision.allow("not-opted-out", "the contact is " + status + " and has not opted out");
        };
    }

    /** Whether engagement (opens, clicks, views) of this contact may be tracked now. */
    public boolean mayTrack(ContactId contact) {
        Optional<Purpose> tracking = catalog.ofKind(PurposeKind.TRACKING);
        if (tracking.isEmpty()) {
            return false;
        }
        Map<String, String> state = ledger.stateOfExisting(contact).orElse(Map.of());
        return !granted(state, PurposeKind.STOP_PROCESSING) && !granted(state, PurposeKind.ERASURE)
                && value(state, tracking.get());
    }

    private Decision campaign(EmailOptInStatus status, Map<String, String> state, String list) {
        if (!policy.permitsCampaignTo(status)) {
            return Decision.refuse("sending-policy", "the sending policy " + policy + " does not email contacts who are "
                    + status + "; it emails " + policy.campaignableStatuses());
        }
        if (list == null) {
            return Decision.refuse("no-list", "a campaign must name the email list it goes to");
        }
        Purpose purpose = catalog.find(list).filter(p -> p.kind() == PurposeKind.EMAIL_LIST).orElse(null);
        if (purpose == null) {
            return Decision.refuse("unknown-list", "'" + list + "' is not an email list");
        }
        if (!value(state, purpose)) {
            return Decision.refuse("not-subscribed", "the contact is not subscribed to the list " + list);
        }
        return Decision.allow("campaign-opt-in", "the contact is " + status + " and subscribed to " + list);
    }

    /** Checks that a campaign's list is a configured email list, before anything is enqueued. */
    public Purpose requireList(String list) {
        Purpose purpose = catalog.require(list);
        if (purpose.kind() != PurposeKind.EMAIL_LIST) {
            throw new InvalidInputException("'" + list + "' is a " + purpose.kind() + " purpose, not an email list; lists: "
                    + catalog.all().stream().filter(p -> p.kind() == PurposeKind.EMAIL_LIST).map(Purpose::id).toList());
        }
        return purpose;
    }

    private boolean granted(Map<String, String> state, PurposeKind kind) {
        return catalog.ofKind(kind).map(p -> value(state, p)).orElse(false);
    }

    private static boolean value(Map<String, String> state, Purpose purpose) {
        String value = state.get(purpose.id());
        return value == null ? purpose.defaultValue() : ConsentValue.GRANTED.name().equals(value);
    }

    private static EmailOptInStatus status(Map<String, String> state) {
        String value = state.get(PurposeCatalog.EMAIL_OPT_IN_SUBJECT);
        return value == null ? EmailOptInStatus.NONE : EmailOptInStatus.valueOf(value);
    }

    static List<String> split(String references) {
        if (references == null || references.isBlank()) {
            return List.of();
        }
        return List.of(references.trim().split("[\\s,]+"));
    }
}
