package io.consenthub.api;

import io.consenthub.contact.ContactId;
import io.consenthub.fields.FieldAccessLog;
import io.consenthub.fields.FieldReveals;
import io.consenthub.shared.InvalidInputException;
import io.consenthub.system.ApiCaller;
import io.consenthub.system.ApiProblem;
import io.consenthub.system.ApiResponse;
import io.consenthub.system.StrictJson;
import org.apache.camel.Exchange;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.regex.Pattern;

/**
 * Sensitive fields: the logged reveal of one value, and the access log an admin searches. The
 * decision and the log are {@link FieldReveals}'; this class reads requests and writes answers.
 */
@Component("fieldApi")
public class FieldApi {

    private static final Pattern FIELD = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");

    private final FieldReveals reveals;
    private final StrictJson json;

    FieldApi(FieldReveals reveals, StrictJson json) {
        this.reveals = reveals;
        this.json = json;
    }

    record RevealBody(String reason) {
    }

    public ApiResponse reveal(Exchange exchange) {
        ContactId id = ContactId.parse(ApiRequests.param(exchange, "id"));
        String field = ApiRequests.param(exchange, "field");
        if (field == null || !FIELD.matcher(field).matches()) {
            throw new InvalidInputException("the field in the path must be an attribute name");
        }
        String body = ApiRequests.body(exchange);
        RevealBody request = body == null || body.isBlank() ? new RevealBody(null) : json.read(body, RevealBody.class);
        ApiCaller caller = ApiRequests.caller(exchange);
        FieldReveals.Reveal reveal = reveals.reveal(id, field, request.reason(),
                new FieldReveals.Caller(caller.name(), caller.role() == null ? "NONE" : caller.role().name(), caller.ip()));
        if (!reveal.verdict().allowed()) {
            int status = reveal.verdict().status();
            return new ApiResponse(status, new ApiProblem(status, HttpStatus.valueOf(status).getReasonPhrase(), reveal.verdict().message()));
        }
        var answer = new LinkedHashMap<String, Object>();
        answer.put("contactId", id.toString());
        answer.put("field", field);
        answer.put("value", reveal.value());
        return ApiResponse.ok(answer);
    }

    public ApiResponse accessLog(Exchange exchange) {
        String contact = ApiRequests.param(exchange, "contactId");
        var filter = new FieldAccessLog.Filter(contact == null ? null : ContactId.parse(contact), ApiRequests.param(exchange, "field"),
                ApiRequests.param(exchange, "key"), instant(exchange, "from"), instant(exchange, "to"),
                ApiRequests.idParam(exchange, "before"), ApiRequests.intParam(exchange, "limit", 100, 1, 1000));
        var entries = reveals.search(filter);
        var answer = new LinkedHashMap<String, Object>();
        answer.put("entries", entries);
        if (!entries.isEmpty()) {
            answer.put("before", entries.get(entries.size() - 1).seq());
        }
        return ApiResponse.ok(answer);
    }

    public ApiResponse verifyAccessLog(Exchange exchange) {
        return ApiResponse.ok(reveals.verify());
    }

    private static Instant instant(Exchange exchange, String name) {
        String value = ApiRequests.param(exchange, name);
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("query parameter '" + name + "' must be an ISO-8601 instant such as 2026-12-01T00:00:00Z");
        }
    }
}
