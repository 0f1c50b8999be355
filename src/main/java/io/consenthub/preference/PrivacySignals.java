package io.consenthub.preference;

import io.consenthub.consent.ActorKind;
import io.consenthub.consent.Evidence;
import io.consenthub.consent.GlobalPrivacyControl;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.links.TokenGrant;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.util.List;

/**
 * A preference-page visit whose browser sends Global Privacy Control: the one page request that
 * changes something, because the signal may only take sharing away (see {@link GlobalPrivacyControl}).
 * The visit's link proves who the contact is; its IP and user agent are the evidence.
 */
@Service
class PrivacySignals {

    private static final Logger log = LoggerFactory.getLogger(PrivacySignals.class);

    private final GlobalPrivacyControl gpc;
    private final ContactDirectory contacts;
    private final Clock clock;

    PrivacySignals(GlobalPrivacyControl gpc, ContactDirectory contacts, Clock clock) {
        this.gpc = gpc;
        this.contacts = contacts;
        this.clock = clock;
    }

    /** Honours the visit's signal, if it carries one; returns the partner-sharing purposes revoked. */
    @Transactional
    public List<String> honourVisit(TokenGrant grant, HttpServletRequest request) {
        if (!GlobalPrivacyControl.signalled(request.getHeader(GlobalPrivacyControl.HEADER))) {
            return List.of();
        }
        contacts.lock(grant.contactId());
        List<String> revoked = gpc.honour(grant.contactId(), new Evidence(ActorKind.CONTACT, null, "preference-page",
                clock.instant(), request.getRemoteAddr(), request.getHeader("User-Agent"), grant.proofId(), null));
        if (!revoked.isEmpty()) {
            log.info("contact {}: Global Privacy Control on a preference-page visit revoked {}", grant.contactId().value(), revoked);
        }
        return revoked;
    }
}
