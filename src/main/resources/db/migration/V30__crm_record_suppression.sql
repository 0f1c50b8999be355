-- The CRM records of erased people (README "Erasure"): a keyed MAC of connector and record id,
-- never the id, so a CRM that keeps the record (its fields erased, or not erased at all) cannot
-- bring it back into the hub — not as a contact, a reject or a change hash. email_mac ties each
-- entry to its person's address entry, so the person's own web form lifts both.
create table crm_record_suppression (
    mac           varchar(128) primary key,
    email_mac     varchar(128),
    suppressed_at timestamp with time zone not null,
    erasure_job   uuid,
    lifted_at     timestamp with time zone,
    lifted_by     varchar(200)
);
create index ix_crm_record_suppression_email on crm_record_suppression (email_mac);
