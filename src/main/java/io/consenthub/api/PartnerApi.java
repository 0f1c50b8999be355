package io.consenthub.api;

import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.ContactNotFoundException;
import io.consenthub.decision.ConsentRefusedException;
import io.consenthub.partner.PartnerShares;
import io.consenthub.partner.PartnerStatus;
import io.consenthub.shared.InvalidInputException;
import io.consenthub.system.ApiResponse;
import io.consenthub.system.StrictJson;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/** Partner sharing through the API: ask for a share, follow each partner's propagation, list a contact's disclosures. */
@Component("partnerApi")
public class PartnerApi {

    private final PartnerShares shares;
    private final PartnerStatus status;
    private final ContactDirectory contacts;
    private final StrictJson json;

    PartnerApi(PartnerShares shares, PartnerStatus status, ContactDirectory contacts, StrictJson json) {
        this.shares = shares;
        this.status = status;
        this.contacts = contacts;
        this.json = json;
    }

    record ShareBody(String contactId) {
    }

    /** 202 with the share's id (or that one is already waiting); 409 with the rule when the contact's consent does not allow it. */
    public ApiResponse share(Exchange exchange) {
        String partner = ApiRequests.param(exchange, "id");
        String body = ApiRequests.body(exchange);
        ShareBody request = body == null || body.isBlank() ? new ShareBody(null) : json.read(body, ShareBody.class);
        if (request.contactId() == null) {
            throw new InvalidInputException("'contactId' is required: the contact to share with partner " + partner);
        }
        ContactId contact = ContactId.parse(request.contactId());
        status.of(partner);
        if (!contacts.exists(contact)) {
            throw new ContactNotFoundException(contact);
        }
        PartnerShares.Requested requested = shares.request(contact, partner, "api:" + ApiRequests.caller(exchange).name());
        if (PartnerShares.Requested.PARTNER_DISABLED.equals(requested.outcome())) {
            throw new io.consenthub.shared.ConflictException("partner " + partner + " is disabled (config/partners.yaml); nothing is shared with it");
        }
        if (PartnerShares.Requested.REFUSED.equals(requested.outcome())) {
            throw new ConsentRefusedException(requested.decision());
        }
        var answer = new LinkedHashMap<String, Object>();
        answer.put("outcome", requested.outcome());
        answer.put("shareId", requested.shareId());
        answer.put("rule", requested.decision().rule());
        return ApiResponse.accepted(answer);
    }

    public ApiResponse list(Exchange exchange) {
        return ApiResponse.ok(Map.of("partners", status.all()));
    }

    public ApiResponse status(Exchange exchange) {
        return ApiResponse.ok(status.of(ApiRequests.param(exchange, "id")));
    }

    public ApiResponse disclosures(Exchange exchange) {
        ContactId contact = ContactId.parse(ApiRequests.param(exchange, "id"));
        if (!contacts.exists(contact)) {
            throw new ContactNotFoundException(contact);
        }
        return ApiResponse.ok(status.disclosures(contact));
    }
}
