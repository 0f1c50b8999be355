package io.consenthub.api;

import io.consenthub.consent.ConsentLedger;
import io.consenthub.consent.PurposeCatalog;
import io.consenthub.system.ApiResponse;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** Ledger verification and the purpose catalogue, for admins and integrators. */
@Component("ledgerApi")
public class LedgerApi {

    private final ConsentLedger ledger;
    private final PurposeCatalog catalog;

    LedgerApi(ConsentLedger ledger, PurposeCatalog catalog) {
        this.ledger = ledger;
        this.catalog = catalog;
    }

    public ApiResponse verify(Exchange exchange) {
        return ApiResponse.ok(ledger.verify());
    }

    public ApiResponse purposes(Exchange exchange) {
        return ApiResponse.ok(catalog.all());
    }
}
