package io.consenthub.api;

import io.consenthub.consent.ConsentLedger;
import io.consenthub.consent.LedgerCheckpoints;
import io.consenthub.consent.PurposeCatalog;
import io.consenthub.contact.ContactId;
import io.consenthub.crypto.SigningKey;
import io.consenthub.system.ApiResponse;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;

/** Ledger verification, the signed checkpoints and the purpose catalogue, for admins, auditors and integrators. */
@Component("ledgerApi")
public class LedgerApi {

    private final ConsentLedger ledger;
    private final LedgerCheckpoints checkpoints;
    private final SigningKey key;
    private final PurposeCatalog catalog;

    LedgerApi(ConsentLedger ledger, LedgerCheckpoints checkpoints, SigningKey key, PurposeCatalog catalog) {
        this.ledger = ledger;
        this.checkpoints = checkpoints;
        this.key = key;
        this.catalog = catalog;
    }

    /** {@code GET /api/ledger/verify[?contactId=]}: the whole ledger, or one contact's chain. */
    public ApiResponse verify(Exchange exchange) {
        String contact = ApiRequests.param(exchange, "contactId");
        return ApiResponse.ok(contact == null ? ledger.verify() : ledger.verify(ContactId.parse(contact)));
    }

    /** {@code GET /api/ledger/checkpoints?limit=&before=}: signed checkpoints, newest first, with the keys that verify them. */
    public ApiResponse checkpoints(Exchange exchange) {
        int limit = ApiRequests.intParam(exchange, "limit", 100, 1, 1000);
        var answer = new LinkedHashMap<String, Object>();
        answer.put("items", checkpoints.list(ApiRequests.idParam(exchange, "before"), limit));
        answer.put("keys", key.jwks().get("keys"));
        return ApiResponse.ok(answer);
    }

    public ApiResponse purposes(Exchange exchange) {
        return ApiResponse.ok(catalog.all());
    }
}
