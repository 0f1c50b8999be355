package io.consenthub.consent;

import io.consenthub.consent.optin.EmailOptInStatus;
import io.consenthub.contact.ContactId;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@link ContactState} from the ledger's projection. This is the only place that turns the
 * projection's stored strings into meaning (with {@link EmailOptInStatus#ofStored}), so every
 * reader agrees on what "granted" and "opted out" are.
 */
@Service
public class ContactStates {

    private final ConsentLedger ledger;
    private final PurposeCatalog catalog;

    ContactStates(ConsentLedger ledger, PurposeCatalog catalog) {
        this.ledger = ledger;
        this.catalog = catalog;
    }

    /**
     * The state of a contact in one round trip and without a transaction of its own (the consent
     * gate's hot path); empty when the hub holds no such contact.
     */
    public Optional<ContactState> find(ContactId contact) {
        return ledger.stateOfExisting(contact).map(state -> of(contact, state));
    }

    /**
     * The state of a contact read under the fence of its ledger chain (see {@code LedgerStore#fence}):
     * until the caller's transaction ends, no consent change of this contact can commit, so what the
     * caller decides and writes (a partner share enqueued, a payload handed to a partner) cannot be
     * overtaken by a revocation it did not see. Empty when the hub holds no such contact.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<ContactState> readFenced(ContactId contact) {
        if (!ledger.fence(contact)) {
            return Optional.empty();
        }
        return Optional.of(of(contact, ledger.state(contact)));
    }

    /** The state of a contact the caller knows exists (typically holding its row lock). */
    @Transactional(propagation = Propagation.SUPPORTS, readOnly = true)
    public ContactState read(ContactId contact) {
        return of(contact, ledger.state(contact));
    }

    /**
     * The state of a contact who has answered nothing yet (a contact about to be created): every
     * purpose at its default. Deciding what a new record may hold needs it before the record exists.
     */
    public ContactState unanswered(ContactId contact) {
        return of(contact, Map.of());
    }

    ContactState of(ContactId contact, Map<String, String> stored) {
        var purposes = new LinkedHashMap<String, ContactState.PurposeValue>();
        for (Purpose purpose : catalog.all()) {
            String value = stored.get(purpose.id());
            purposes.put(purpose.id(), new ContactState.PurposeValue(purpose,
                    value == null ? purpose.defaultValue() : ConsentValue.GRANTED.name().equals(value), value != null));
        }
        return new ContactState(contact, EmailOptInStatus.ofStored(stored.get(PurposeCatalog.EMAIL_OPT_IN_SUBJECT)),
                restricted(purposes, PurposeKind.STOP_PROCESSING), restricted(purposes, PurposeKind.ERASURE), purposes);
    }

    private static boolean restricted(Map<String, ContactState.PurposeValue> purposes, PurposeKind kind) {
        return purposes.values().stream().anyMatch(v -> v.purpose().kind() == kind && v.granted());
    }
}
