package io.consenthub.system;

import io.consenthub.shared.NotFoundException;
import io.consenthub.shared.InvalidInputException;
import io.consenthub.shared.ConflictException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import java.util.UUID;

/**
 * Turns route results and failures into HTTP answers, in one place for every API route. Request
 * headers are dropped first so nothing the caller sent (an API key, say) is echoed back. An
 * unexpected failure is logged with a reference and answered without internals.
 */
@Component("apiResponses")
public class ApiResponses {

    private static final Logger log = LoggerFactory.getLogger(ApiResponses.class);

    private final ObjectMapper json;

    ApiResponses(ObjectMapper json) {
        this.json = json;
    }

    public void write(Exchange exchange) {
        ApiResponse response = exchange.getMessage().getBody(ApiResponse.class);
        respond(exchange, response.status(), response.body());
    }

    public void failure(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int status = statusOf(cause);
        String message;
        if (status == 500) {
            String reference = UUID.randomUUID().toString();
            log.error("API request {} {} failed (reference {})", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    exchange.getMessage().getHeader(Exchange.HTTP_URI), reference, cause);
            message = "the hub could not complete this request; quote reference " + reference + " to the operator";
        } else if (cause instanceof org.springframework.dao.DataIntegrityViolationException) {
            message = "a conflicting change to the same record happened at the same time; nothing was written, please try again";
        } else {
            message = cause.getMessage();
        }
        respond(exchange, status, new ApiProblem(status, HttpStatus.valueOf(status).getReasonPhrase(), message));
    }

    static int statusOf(Throwable cause) {
        if (cause instanceof InvalidInputException) {
            return 400;
        }
        if (cause instanceof NotFoundException) {
            return 404;
        }
        if (cause instanceof ConflictException || cause instanceof org.springframework.dao.DataIntegrityViolationException) {
            return 409;
        }
        return 500;
    }

    private void respond(Exchange exchange, int status, Object body) {
        var message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        try {
            message.setBody(json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response could not be written as JSON", e);
        }
    }
}
