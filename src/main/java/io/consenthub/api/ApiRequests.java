package io.consenthub.api;

import io.consenthub.consent.ActorKind;
import io.consenthub.consent.Evidence;
import io.consenthub.system.ApiCaller;
import io.consenthub.system.ApiRole;
import io.consenthub.shared.InvalidInputException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.time.Clock;

/** Reads the caller and request parameters the security filter and REST DSL put on an exchange. */
final class ApiRequests {

    private ApiRequests() {
    }

    static ApiCaller caller(Exchange exchange) {
        Message in = exchange.getMessage();
        String role = in.getHeader(ApiCaller.ROLE_HEADER, String.class);
        return new ApiCaller(in.getHeader(ApiCaller.NAME_HEADER, String.class),
                role == null ? null : ApiRole.valueOf(role),
                in.getHeader(ApiCaller.IP_HEADER, String.class),
                in.getHeader("User-Agent", String.class));
    }

    /** Evidence for an act of the calling user (or CRM), through the API. */
    static Evidence evidence(Exchange exchange, Clock clock, String note) {
        ApiCaller caller = caller(exchange);
        ActorKind actor = caller.role() == ApiRole.CRM ? ActorKind.CRM : ActorKind.USER;
        return new Evidence(actor, caller.name(), "api", clock.instant(), caller.ip(), caller.userAgent(), null, note);
    }

    static String body(Exchange exchange) {
        return exchange.getMessage().getBody(String.class);
    }

    static String param(Exchange exchange, String name) {
        String value = exchange.getMessage().getHeader(name, String.class);
        return value == null || value.isBlank() ? null : value.trim();
    }

    static int intParam(Exchange exchange, String name, int fallback, int min, int max) {
        String value = param(exchange, name);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n < min || n > max) {
                throw new InvalidInputException("query parameter '" + name + "' must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new InvalidInputException("query parameter '" + name + "' must be a whole number, not '" + value + "'");
        }
    }

    /** An optional paging cursor: the last id of the previous page. */
    static Long idParam(Exchange exchange, String name) {
        String value = param(exchange, name);
        if (value == null) {
            return null;
        }
        try {
            long id = Long.parseLong(value);
            if (id < 1) {
                throw new InvalidInputException("query parameter '" + name + "' must be a positive id");
            }
            return id;
        } catch (NumberFormatException e) {
            throw new InvalidInputException("query parameter '" + name + "' must be a whole number");
        }
    }
}
