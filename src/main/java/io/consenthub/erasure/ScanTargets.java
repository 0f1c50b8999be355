package io.consenthub.erasure;

import java.util.List;

/**
 * What the final scan looks for: the contact's normalised email, the words of its names, the
 * digits of its phone numbers and its CRM record ids. Held only sealed (see {@code erasure_job}),
 * and destroyed with the job's key when the job ends.
 */
record ScanTargets(List<String> emails, List<String> names, List<String> phones, List<CrmId> crmIds, List<String> skipped) {

    /** A CRM record id as the CRM tables hold it. */
    record CrmId(String connectorId, String externalId) {
    }

    ScanTargets {
        emails = List.copyOf(emails);
        names = List.copyOf(names);
        phones = List.copyOf(phones);
        crmIds = List.copyOf(crmIds);
        skipped = List.copyOf(skipped);
    }
}
