package io.consenthub.api;

import io.consenthub.commands.ContactCommands;
import io.consenthub.consent.ConsentRecords;
import io.consenthub.consent.PurposeKind;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.erasure.ErasureJobs;
import io.consenthub.erasure.ErasureRequests;
import io.consenthub.shared.InvalidInputException;
import io.consenthub.shared.RequestFields;
import io.consenthub.system.ApiResponse;
import io.consenthub.system.StrictJson;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Erasure through the API: the open requests against their deadline, an admin's erasure of a
 * contact (the request recorded in the ledger, then the resumable job started), a job's progress
 * and certificate, and an admin's recording of a stop-processing request.
 */
@Component("erasureApi")
public class ErasureApi {

    /** An admin's act on a contact's behalf: why, in words that name no one. */
    record ReasonBody(String reason) {

        ReasonBody {
            reason = RequestFields.bounded("reason", reason, RequestFields.MAX_NOTE);
            if (reason == null || reason.isBlank()) {
                throw new InvalidInputException("'reason' is required: say why (e.g. \"request by letter 2026-12-01\"),"
                        + " without personal data");
            }
        }
    }

    private final ErasureRequests requests;
    private final ErasureJobs jobs;
    private final ContactCommands commands;
    private final ContactDirectory contacts;
    private final ConsentRecords consents;
    private final StrictJson json;
    private final Clock clock;

    ErasureApi(ErasureRequests requests, ErasureJobs jobs, ContactCommands commands, ContactDirectory contacts,
               ConsentRecords consents, StrictJson json, Clock clock) {
        this.requests = requests;
        this.jobs = jobs;
        this.commands = commands;
        this.contacts = contacts;
        this.consents = consents;
        this.json = json;
        this.clock = clock;
    }

    public ApiResponse list(Exchange exchange) {
        var open = requests.open();
        var answer = new LinkedHashMap<String, Object>();
        answer.put("open", open.size());
        answer.put("overdue", open.stream().filter(ErasureRequests.OpenRequest::overdue).count());
        answer.put("requests", open);
        return ApiResponse.ok(answer);
    }

    public ApiResponse job(Exchange exchange) {
        return ApiResponse.ok(jobs.progress(uuid(ApiRequests.param(exchange, "id"))));
    }

    /** Records the erasure request (if the contact had not made it on the page) and starts the job: 202 with its id. */
    public ApiResponse erase(Exchange exchange) {
        ContactId id = ContactId.parse(ApiRequests.param(exchange, "id"));
        var request = json.read(ApiRequests.body(exchange), ReasonBody.class);
        contacts.get(id);
        commands.restrict(id, PurposeKind.ERASURE, ApiRequests.evidence(exchange, clock, request.reason()));
        UUID job = jobs.start(id, ApiRequests.caller(exchange).name(), request.reason());
        return ApiResponse.accepted(Map.of("jobId", job, "progress", "/api/erasure-requests/" + job));
    }

    /**
     * {@code DELETE /api/contacts/{id}?reason=}: as {@link #erase}, and the job removes the record at
     * its end (only the id stays, for the ledger): 202 with the job's id.
     */
    public ApiResponse remove(Exchange exchange) {
        ContactId id = ContactId.parse(ApiRequests.param(exchange, "id"));
        var request = new ReasonBody(ApiRequests.param(exchange, "reason"));
        contacts.get(id);
        commands.restrict(id, PurposeKind.ERASURE, ApiRequests.evidence(exchange, clock, request.reason()));
        UUID job = jobs.start(id, ApiRequests.caller(exchange).name(), request.reason(), ErasureJobs.Scope.REMOVE);
        return ApiResponse.accepted(Map.of("jobId", job, "progress", "/api/erasure-requests/" + job));
    }

    public ApiResponse stopProcessing(Exchange exchange) {
        ContactId id = ContactId.parse(ApiRequests.param(exchange, "id"));
        var request = json.read(ApiRequests.body(exchange), ReasonBody.class);
        boolean changed = commands.restrict(id, PurposeKind.STOP_PROCESSING, ApiRequests.evidence(exchange, clock, request.reason()));
        return ApiResponse.ok(Map.of("stopped", changed, "consents", consents.block(id)));
    }

    private static UUID uuid(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidInputException("'" + value + "' is not an erasure job id (a UUID)");
        }
    }
}
