package io.consenthub.partner;

import io.consenthub.consent.ConsentStateChanged;
import io.consenthub.consent.ContactState;
import io.consenthub.consent.ContactStates;
import io.consenthub.contact.ContactId;
import io.consenthub.decision.Act;
import io.consenthub.decision.ConsentDecisions;
import io.consenthub.decision.Decision;
import io.consenthub.decision.Refusals;
import io.consenthub.outbox.NewOutboxMessage;
import io.consenthub.outbox.Outbox;
import io.consenthub.outbox.OutboxStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Shares with partners and the revocation notices that follow them, both written to the outbox in
 * the transaction that decided them.
 *
 * <p>A share is enqueued only under the fence of the contact's ledger chain
 * ({@link ConsentDecisions#decideFenced}): a revocation committing meanwhile waits for this
 * transaction, and then cancels the share. Every consent change of a contact who was ever shared
 * with is looked at just before its transaction commits: for each partner that is no longer allowed
 * to receive the contact, waiting shares are cancelled and, if the partner received (or may have
 * received) anything since its last notice, a revocation notice is enqueued. Deliveries hold the
 * same fence and send no share of the contact while any of its notices is unacknowledged
 * ({@link PartnerDelivery}).
 */
@Service
public class PartnerShares {

    /** Outbox kinds. */
    public static final String SHARE = "partner-share";
    public static final String NOTICE = "partner-notice";
    static final List<String> KINDS = List.of(SHARE, NOTICE);
    private static final Logger log = LoggerFactory.getLogger(PartnerShares.class);

    private final Partners partners;
    private final ConsentDecisions decisions;
    private final ContactStates states;
    private final Refusals refusals;
    private final Outbox outbox;
    private final PartnerPayloads payloads;
    private final PartnerMetrics metrics;
    private final Clock clock;

    PartnerShares(Partners partners, ConsentDecisions decisions, ContactStates states, Refusals refusals, Outbox outbox,
                  PartnerPayloads payloads, PartnerMetrics metrics, Clock clock) {
        this.partners = partners;
        this.decisions = decisions;
        this.states = states;
        this.refusals = refusals;
        this.outbox = outbox;
        this.payloads = payloads;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** What became of a share request. */
    public record Requested(String outcome, String shareId, Decision decision) {
        public static final String ENQUEUED = "ENQUEUED";
        public static final String ALREADY_WAITING = "ALREADY_WAITING";
        public static final String REFUSED = "REFUSED";
        public static final String PARTNER_DISABLED = "PARTNER_DISABLED";
    }

    /**
     * Asks to share a contact with a partner: decided under the contact's fence and, when allowed,
     * enqueued in the same transaction. A share of the contact to this partner still waiting is not
     * duplicated (its payload is built at delivery, from the data as it is then).
     *
     * @param origin what asked (a consent event id, an API key name), kept in the message, never personal data
     */
    @Transactional
    public Requested request(ContactId contact, String partnerId, String origin) {
        return request(contact, partnerId, origin, "share-" + UUID.randomUUID());
    }

    /**
     * The shipped route's step: a consent event that granted a partner's purpose asks for a share
     * of that contact, under an id made from the event, so a repeated event enqueues nothing twice.
     */
    @Transactional
    public Requested requestFor(io.consenthub.workflow.ConsentEventMessage event) {
        return request(new ContactId(UUID.fromString(event.contactId())), event.partner(), event.eventId(),
                "share-" + event.partner() + "-" + event.eventId());
    }

    private Requested request(ContactId contact, String partnerId, String origin, String shareId) {
        PartnerSettings.Partner partner = partners.require(partnerId);
        if (!partner.isEnabled()) {
            metrics.requested(partnerId, Requested.PARTNER_DISABLED);
            return new Requested(Requested.PARTNER_DISABLED, null, null);
        }
        Decision decision = decisions.decideFenced(contact, new Act.ShareWithPartner(partnerId));
        if (!decision.allowed()) {
            refusals.record(contact, new Act.ShareWithPartner(partnerId).subject(), decision, "partner-share-request", null);
            metrics.requested(partnerId, Requested.REFUSED);
            return new Requested(Requested.REFUSED, null, decision);
        }
        if (outbox.hasPending(SHARE, partnerId, contact)) {
            metrics.requested(partnerId, Requested.ALREADY_WAITING);
            return new Requested(Requested.ALREADY_WAITING, null, decision);
        }
        if (!outbox.enqueue(new NewOutboxMessage(shareId, SHARE, partnerId, contact, null,
                payloads.write(Map.of("origin", origin == null ? "unknown" : origin, "requestedAt", clock.instant().toString()))))) {
            metrics.requested(partnerId, Requested.ALREADY_WAITING);
            return new Requested(Requested.ALREADY_WAITING, shareId, decision);
        }
        metrics.requested(partnerId, Requested.ENQUEUED);
        return new Requested(Requested.ENQUEUED, shareId, decision);
    }

    /** Notes the changed contact; just before the change commits, {@link #revokeWhereNoLongerAllowed} runs for all of them. */
    @EventListener
    public void onConsentStateChanged(ConsentStateChanged change) {
        changedInThisTransaction().contacts.add(change.contactId());
    }

    /**
     * For each contact changed in this transaction that has partner messages: every partner the
     * contact may no longer be shared with gets its waiting shares cancelled and, if it may have
     * received anything since its last notice, a revocation notice. Runs inside the transaction that
     * appended the change, which holds the contact's chain lock, so no delivery of the contact is in
     * progress meanwhile.
     */
    void revokeWhereNoLongerAllowed(Set<ContactId> changed) {
        if (partners.ids().isEmpty()) {
            return;
        }
        for (ContactId contact : outbox.contactsWith(KINDS, changed)) {
            ContactState state = states.read(contact);
            List<Map<String, Object>> messages = outbox.ofContact(contact, KINDS);
            for (String partnerId : partnersOf(messages)) {
                if (!partners.ids().contains(partnerId)) {
                    // removed from config/partners.yaml: no address to send a notice to; say so, block nobody
                    log.warn("partner {} is no longer configured: contact {} changed its consents, no revocation notice can be sent",
                            partnerId, contact.value());
                    continue;
                }
                Decision decision = decisions.decide(state, new Act.ShareWithPartner(partnerId));
                if (!decision.allowed()) {
                    revoke(contact, partnerId, decision, messages);
                }
            }
        }
    }

    private void revoke(ContactId contact, String partnerId, Decision decision, List<Map<String, Object>> messages) {
        int cancelled = outbox.cancelPending(contact, SHARE, partnerId, "cancelled: " + decision.rule());
        long lastNotice = 0;
        var sharesSinceNotice = new ArrayList<String>();
        for (Map<String, Object> m : messages) {
            if (!partnerId.equals(m.get("destination"))) {
                continue;
            }
            if (NOTICE.equals(m.get("kind"))) {
                lastNotice = (long) m.get("id");
                sharesSinceNotice.clear();
            } else if ((int) m.get("attempts") > 0 && !OutboxStatus.REFUSED.name().equals(m.get("status"))) {
                // handed over, or tried: a call that timed out may still have reached the partner
                sharesSinceNotice.add((String) m.get("messageId"));
            }
        }
        if (sharesSinceNotice.isEmpty()) {
            if (cancelled > 0) {
                log.info("partner {}: {} waiting share(s) of contact {} cancelled ({}), none had left", partnerId, cancelled,
                        contact.value(), decision.rule());
            }
            return;
        }
        String noticeId = "notice-" + UUID.randomUUID();
        var now = clock.instant();
        outbox.enqueue(new NewOutboxMessage(noticeId, NOTICE, partnerId, contact, null,
                payloads.notice(noticeId, partnerId, contact.value().toString(), decision.rule(), sharesSinceNotice, now, now)));
        metrics.noticeEnqueued(partnerId);
        log.info("partner {}: revocation notice {} for contact {} enqueued ({}); {} waiting share(s) cancelled", partnerId,
                noticeId, contact.value(), decision.rule(), cancelled);
    }

    private static Set<String> partnersOf(List<Map<String, Object>> messages) {
        var ids = new LinkedHashSet<String>();
        messages.forEach(m -> ids.add((String) m.get("destination")));
        return ids;
    }

    private ChangedInTransaction changedInThisTransaction() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            throw new IllegalStateException("consent changes are made in a transaction");
        }
        for (TransactionSynchronization registered : TransactionSynchronizationManager.getSynchronizations()) {
            if (registered instanceof ChangedInTransaction changed && changed.owner == this) {
                return changed;
            }
        }
        var changed = new ChangedInTransaction(this);
        TransactionSynchronizationManager.registerSynchronization(changed);
        return changed;
    }

    /** The contacts one transaction changed; looked at once, just before it commits. Identity equality, as Spring keeps these in a set. */
    private static final class ChangedInTransaction implements TransactionSynchronization {

        private final PartnerShares owner;
        private final Set<ContactId> contacts = new LinkedHashSet<>();

        ChangedInTransaction(PartnerShares owner) {
            this.owner = owner;
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            owner.revokeWhereNoLongerAllowed(contacts);
        }
    }

    /** The partners that still owe an acknowledgement of a revocation notice for this contact. */
    public java.util.Set<String> owingAcknowledgement(ContactId contact) {
        return outbox.unfinishedDestinations(NOTICE, contact);
    }
}
