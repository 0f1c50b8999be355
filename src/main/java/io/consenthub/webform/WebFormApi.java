package io.consenthub.webform;

import io.consenthub.consent.GlobalPrivacyControl;
import io.consenthub.system.ApiResponse;
import io.consenthub.system.StrictJson;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import java.util.Map;

/**
 * The web-form endpoint's route bean. It answers the same for a new and a known address, so the
 * endpoint cannot be used to find out who is a contact.
 */
@Component("webFormApi")
public class WebFormApi {

    private final StrictJson json;
    private final WebFormIntake intake;

    WebFormApi(StrictJson json, WebFormIntake intake) {
        this.json = json;
        this.intake = intake;
    }

    public ApiResponse submit(Exchange exchange) {
        var form = json.read(exchange.getMessage().getBody(String.class), WebFormSubmission.class);
        boolean gpc = Boolean.TRUE.equals(form.globalPrivacyControl())
                || GlobalPrivacyControl.signalled(exchange.getMessage().getHeader(GlobalPrivacyControl.HEADER, String.class));
        String submissionId = intake.submit(form, gpc);
        return ApiResponse.accepted(Map.of("status", "accepted", "submissionId", submissionId));
    }
}
