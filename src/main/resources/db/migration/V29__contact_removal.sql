-- DELETE /api/contacts/{id} (README "Erasure"): the erasure job of a removal leaves only the
-- contact's id, as a tombstone the ledger's events (crypto-shredded) still reference; every
-- read, list and report of the hub skips it.
alter table contact add column removed_at timestamp with time zone;
alter table erasure_job add column remove_record boolean default false not null;
