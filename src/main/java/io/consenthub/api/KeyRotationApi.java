package io.consenthub.api;

import io.consenthub.fields.KeyRotationKind;
import io.consenthub.fields.KeyRotations;
import io.consenthub.shared.InvalidInputException;
import io.consenthub.system.ApiResponse;
import io.consenthub.system.StrictJson;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import java.util.Locale;
import java.util.Map;

/** Starting and following key rotations (ADMIN); the jobs are {@link KeyRotations}'. */
@Component("keyRotationApi")
public class KeyRotationApi {

    private final KeyRotations rotations;
    private final StrictJson json;

    KeyRotationApi(KeyRotations rotations, StrictJson json) {
        this.rotations = rotations;
        this.json = json;
    }

    record StartBody(String kind) {
    }

    public ApiResponse start(Exchange exchange) {
        String body = ApiRequests.body(exchange);
        StartBody request = body == null || body.isBlank() ? new StartBody(null) : json.read(body, StartBody.class);
        if (request.kind() == null) {
            throw new InvalidInputException("'kind' is required: one of kek, data-keys, index");
        }
        KeyRotationKind kind;
        try {
            kind = KeyRotationKind.valueOf(request.kind().trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("'kind' is '" + request.kind() + "'; expected one of kek, data-keys, index");
        }
        return ApiResponse.accepted(rotations.start(kind, ApiRequests.caller(exchange).name()));
    }

    public ApiResponse list(Exchange exchange) {
        return ApiResponse.ok(Map.of("rotations", rotations.list()));
    }

    public ApiResponse get(Exchange exchange) {
        return ApiResponse.ok(rotations.get(ApiRequests.param(exchange, "id")));
    }

}
