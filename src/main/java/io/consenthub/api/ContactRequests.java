package io.consenthub.api;

import io.consenthub.consent.optin.EmailOptInStatus;

import java.util.List;
import java.util.Map;

/** The JSON bodies the contact API accepts. Unknown fields are refused by the strict reader. */
final class ContactRequests {

    private ContactRequests() {
    }

    record CrmLinkBody(String connectorId, String externalId) {
    }

    record NewContact(String email, Map<String, String> attributes, List<CrmLinkBody> crmLinks,
                      EmailOptInStatus optInStatus, String note) {
    }

    record Import(List<NewContact> contacts) {
    }

    record Patch(String email, Map<String, String> attributes, String note) {
    }

    record OptInActionBody(String action, String note) {
    }

    record ConsentAnswer(String purpose, Boolean granted, String note) {
    }
}
