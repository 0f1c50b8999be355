package io.consenthub.api;

import io.consenthub.access.AccessExports;
import io.consenthub.contact.ContactId;
import io.consenthub.system.ApiResponse;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** {@code GET /api/contacts/{id}/export}: an admin's copy of a contact's access export, sensitive values masked. */
@Component("accessExportApi")
public class AccessExportApi {

    private final AccessExports exports;

    AccessExportApi(AccessExports exports) {
        this.exports = exports;
    }

    public ApiResponse export(Exchange exchange) {
        ContactId contact = ContactId.parse(ApiRequests.param(exchange, "id"));
        return ApiResponse.ok(exports.forAdmin(contact, ApiRequests.caller(exchange).name()).document());
    }
}
