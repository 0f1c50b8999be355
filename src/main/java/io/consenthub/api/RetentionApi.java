package io.consenthub.api;

import io.consenthub.retention.Retention;
import io.consenthub.system.ApiResponse;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;

/** {@code GET /api/retention/candidates}: the contacts nothing justifies keeping, for an admin's review. */
@Component("retentionApi")
public class RetentionApi {

    private final Retention retention;

    RetentionApi(Retention retention) {
        this.retention = retention;
    }

    public ApiResponse candidates(Exchange exchange) {
        Retention.Review review = retention.review(ApiRequests.intParam(exchange, "limit", 100, 1, 1000));
        var answer = new LinkedHashMap<String, Object>();
        answer.put("inactiveForDays", review.inactiveFor().toDays());
        answer.put("action", review.action());
        answer.put("inactiveBefore", review.inactiveBefore());
        answer.put("count", review.candidates().size());
        answer.put("candidates", review.candidates().stream().map(c -> {
            var candidate = new LinkedHashMap<String, Object>();
            candidate.put("contactId", c.contactId().toString());
            candidate.put("lastActivity", c.lastActivity());
            candidate.put("inactiveDays", c.inactiveDays());
            candidate.put("rule", c.rule());
            candidate.put("reason", c.reason());
            return candidate;
        }).toList());
        return ApiResponse.ok(answer);
    }
}
