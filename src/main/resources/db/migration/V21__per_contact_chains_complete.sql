-- After migration 20.1 numbered every event in its contact's chain: the position is required and
-- unique per contact (two appends can never take the same place), and the single head is gone.
alter table consent_event alter column contact_seq set not null;
create unique index uq_consent_event_contact_seq on consent_event (contact_id, contact_seq);
drop table ledger_head;
-- The contact's chain order serves history and "last event" lookups; the old (contact, seq) index
-- would only cost every append an index update.
drop index ix_consent_event_contact;
-- The scheduled verification follows checkpoints now, not the old global chain.
alter table ledger_verification drop column verified_seq;
alter table ledger_verification drop column verified_hash;
