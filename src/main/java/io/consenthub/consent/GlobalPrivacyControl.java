package io.consenthub.consent;

import io.consenthub.contact.ContactId;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.util.ArrayList;
import java.util.List;

/**
 * Global Privacy Control: a browser's {@code Sec-GPC: 1} request header, the "do not sell or share
 * my personal information" signal that US state laws (California's CCPA regulations § 7025,
 * Colorado, Connecticut and others) require a business to honour as an opt-out of sharing. The hub
 * honours it where it knows who sent it — a preference-page visit, a web-form submission — by
 * revoking every partner-sharing consent the contact holds, with the signal named in the
 * evidence. It only ever revokes: a forged signal can make the hub share less, never more, so it
 * needs no confirmation mail (an opt-out of sharing must not be made harder than the sharing was).
 * The revocation is an ordinary consent change, so the partner fence sends the notices.
 */
@Service
public class GlobalPrivacyControl {

    /** The request header browsers send (https://privacycg.github.io/gpc-spec/). */
    public static final String HEADER = "Sec-GPC";
    /** What the ledger's evidence says about a revocation made for the signal (no personal data). */
    public static final String NOTE = "Global Privacy Control signal (Sec-GPC: 1): do not sell or share";

    private final PurposeCatalog catalog;
    private final ContactStates states;
    private final ConsentRecords records;

    GlobalPrivacyControl(PurposeCatalog catalog, ContactStates states, ConsentRecords records) {
        this.catalog = catalog;
        this.states = states;
        this.records = records;
    }

    /** Whether a request header value is the signal: the specification defines exactly {@code "1"}. */
    public static boolean signalled(String headerValue) {
        return headerValue != null && headerValue.strip().equals("1");
    }

    /** Whether the purpose is one the signal covers: a consent that allows sharing with a partner. */
    public boolean covers(String purposeId) {
        return catalog.find(purposeId).map(p -> p.partner() != null).orElse(false);
    }

    /**
     * Revokes every partner-sharing consent the contact effectively holds (answered or by default),
     * with the caller's evidence and {@link #NOTE}; returns the purposes revoked. The caller holds
     * the contact's row lock.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<String> honour(ContactId contact, Evidence evidence) {
        ContactState state = states.read(contact);
        var revoked = new ArrayList<String>();
        for (Purpose purpose : catalog.all()) {
            if (purpose.partner() != null && state.granted(purpose.id())
                    && records.record(contact, purpose.id(), false, evidence.withNote(NOTE)).isPresent()) {
                revoked.add(purpose.id());
            }
        }
        return List.copyOf(revoked);
    }
}
