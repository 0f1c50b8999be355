package io.consenthub.api;

import io.consenthub.consent.optin.EmailOptInStatus;

import io.consenthub.shared.RequestFields;

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

        NewContact {
            note = RequestFields.bounded("note", note, RequestFields.MAX_NOTE);
        }
    }

    record Import(List<NewContact> contacts) {
    }

    record Patch(String email, Map<String, String> attributes, String note) {

        Patch {
            note = RequestFields.bounded("note", note, RequestFields.MAX_NOTE);
        }
    }

    record OptInActionBody(String action, String note) {

        OptInActionBody {
            note = RequestFields.bounded("note", note, RequestFields.MAX_NOTE);
        }
    }

    record ConsentAnswer(String purpose, Boolean granted, String note) {

        ConsentAnswer {
            note = RequestFields.bounded("note", note, RequestFields.MAX_NOTE);
        }
    }
}
