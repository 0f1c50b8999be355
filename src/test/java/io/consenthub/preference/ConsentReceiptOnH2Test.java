package io.consenthub.preference;

import io.consenthub.support.HubTest;

/** Signed consent receipts on the embedded default store, H2 in PostgreSQL mode. */
@HubTest
class ConsentReceiptOnH2Test extends ConsentReceiptContract {
}
