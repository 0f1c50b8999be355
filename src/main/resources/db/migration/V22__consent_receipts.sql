-- Signed consent receipts (receipt.ConsentReceipts): one per transaction in which a contact changed
-- their consents themselves; jws is the signed receipt (Kantara CR 1.1 claims, bound to the ledger
-- events it records by their ids and hashes).
create table consent_receipt (
    id         uuid primary key,
    contact_id uuid not null,
    issued_at  timestamp with time zone not null,
    jws        varchar(16000) not null
);
create index ix_consent_receipt_contact on consent_receipt (contact_id, issued_at);
