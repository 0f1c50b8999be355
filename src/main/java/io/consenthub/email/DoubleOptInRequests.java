package io.consenthub.email;

import io.consenthub.consent.ContactFilter;
import io.consenthub.consent.ContactQueries;
import io.consenthub.consent.ConsentValue;
import io.consenthub.consent.Evidence;
import io.consenthub.contact.ContactId;
import io.consenthub.decision.Act;
import io.consenthub.decision.ConsentDecisions;
import io.consenthub.decision.EmailKind;
import io.consenthub.consent.optin.EmailOptIn;
import io.consenthub.consent.optin.OptInAction;
import io.consenthub.consent.optin.OptInDecision;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends double-opt-in emails: after a web-form opt-in, or at a user's request for one contact or a
 * whole list. Each request goes through the opt-in rules first (never to opted-out contacts, at
 * most once per 24 hours, only from NONE or a single opt-in) and is recorded in the ledger.
 */
@Service
public class DoubleOptInRequests {

    private final EmailOptIn optIn;
    private final Emails emails;
    private final ContactQueries queries;
    private final ConsentDecisions decisions;
    private final MailTexts texts;

    DoubleOptInRequests(EmailOptIn optIn, Emails emails, ContactQueries queries, ConsentDecisions decisions, MailTexts texts) {
        this.texts = texts;
        this.optIn = optIn;
        this.emails = emails;
        this.queries = queries;
        this.decisions = decisions;
    }

    /**
     * Requests for one contact; a refusal by the decision service (stop processing, erasure, an
     * opt-out: the mail could never be sent) or by the opt-in rules is thrown (409) and nothing is written.
     */
    @Transactional
    public String request(ContactId contact, Evidence evidence) {
        decisions.require(contact, Act.SendEmail.of(EmailKind.DOUBLE_OPT_IN), "api-double-opt-in-request");
        optIn.apply(contact, OptInAction.REQUEST_DOUBLE_OPT_IN, evidence);
        return enqueue(contact, evidence);
    }

    /** Requests when the rules allow it and returns their decision; used after web-form opt-ins. */
    @Transactional
    public OptInDecision requestIfAllowed(ContactId contact, Evidence evidence) {
        OptInDecision decision = optIn.attempt(contact, OptInAction.REQUEST_DOUBLE_OPT_IN, evidence);
        if (decision.applies()) {
            enqueue(contact, evidence);
        }
        return decision;
    }

    /** Requests for every contact subscribed to a list, skipping (and reporting) those the rules refuse. */
    @Transactional
    public Map<String, Object> requestForList(String list, Evidence evidence) {
        decisions.requireList(list);
        var requested = new int[1];
        var skipped = new ArrayList<Map<String, String>>();
        queries.forEachMatching(new ContactFilter(List.of(), Map.of(list, ConsentValue.GRANTED), null, 0, 1), contact -> {
            OptInDecision decision = requestIfAllowed(contact, evidence);
            if (decision.applies()) {
                requested[0]++;
            } else {
                skipped.add(Map.of("contactId", contact.toString(), "reason", decision.reason()));
            }
        });
        var answer = new LinkedHashMap<String, Object>();
        answer.put("list", list);
        answer.put("requested", requested[0]);
        answer.put("skipped", skipped);
        return answer;
    }

    private String enqueue(ContactId contact, Evidence evidence) {
        return emails.enqueue(contact, texts.payload(contact, EmailKind.DOUBLE_OPT_IN, "doi", evidence.actorId(),
                EmailComposer.CONFIRM_LINK), null);
    }
}
