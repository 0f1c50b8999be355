package io.consenthub.api;

import io.consenthub.erasure.ErasureRequests;
import io.consenthub.system.ApiResponse;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;

/** The erasure requests through the API: the open ones, oldest first, against their deadline. */
@Component("erasureApi")
public class ErasureApi {

    private final ErasureRequests requests;

    ErasureApi(ErasureRequests requests) {
        this.requests = requests;
    }

    public ApiResponse list(Exchange exchange) {
        var open = requests.open();
        var answer = new LinkedHashMap<String, Object>();
        answer.put("open", open.size());
        answer.put("overdue", open.stream().filter(ErasureRequests.OpenRequest::overdue).count());
        answer.put("requests", open);
        return ApiResponse.ok(answer);
    }
}
