package io.consenthub.api;

import io.consenthub.commands.ContactCommands.ValidContact;
import io.consenthub.consent.optin.EmailOptInStatus;
import io.consenthub.contact.Attributes;
import io.consenthub.contact.CrmLink;
import io.consenthub.contact.EmailAddress;
import io.consenthub.shared.InvalidInputException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns contact API bodies into validated contacts, naming every problem; no rules of consent here. */
final class ContactValidation {

    static final int MAX_IMPORT = 10_000;

    private ContactValidation() {
    }

    static List<ValidContact> validate(List<ContactRequests.NewContact> requests) {
        if (requests == null || requests.isEmpty()) {
            throw new InvalidInputException("'contacts' must hold at least one contact");
        }
        if (requests.size() > MAX_IMPORT) {
            throw new InvalidInputException("at most " + MAX_IMPORT + " contacts per import; split the file");
        }
        var problems = new ArrayList<String>();
        var valid = new ArrayList<ValidContact>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            try {
                ValidContact contact = validate(requests.get(i));
                Integer first = seen.putIfAbsent(contact.email().key(), i);
                if (first != null) {
                    problems.add("contacts[" + i + "]: its email already appears in contacts[" + first + "]");
                }
                valid.add(contact);
            } catch (InvalidInputException e) {
                problems.add("contacts[" + i + "]: " + e.getMessage());
            }
            if (problems.size() >= 50) {
                problems.add("... stopped after 50 problems");
                break;
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException("nothing was imported; fix these rows: " + String.join("; ", problems));
        }
        return valid;
    }

    static ValidContact validate(ContactRequests.NewContact request) {
        if (request == null) {
            throw new InvalidInputException("a contact object is required");
        }
        EmailOptInStatus status = request.optInStatus();
        if (status != null && status != EmailOptInStatus.NONE && status != EmailOptInStatus.SINGLE_OPT_IN_USER) {
            throw new InvalidInputException("optInStatus on create or import may only be NONE or SINGLE_OPT_IN_USER; "
                    + status + " can only follow from the contact's own action");
        }
        var links = new ArrayList<CrmLink>();
        if (request.crmLinks() != null) {
            var keys = new LinkedHashMap<String, CrmLink>();
            for (ContactRequests.CrmLinkBody body : request.crmLinks()) {
                if (body == null) {
                    throw new InvalidInputException("crmLinks must not contain null");
                }
                CrmLink link = new CrmLink(body.connectorId(), body.externalId());
                if (keys.putIfAbsent(link.connectorId() + "/" + link.externalId(), link) == null) {
                    links.add(link);
                }
            }
        }
        return new ValidContact(new EmailAddress(request.email()), new Attributes(request.attributes()), links,
                status == EmailOptInStatus.SINGLE_OPT_IN_USER, request.note());
    }
}
