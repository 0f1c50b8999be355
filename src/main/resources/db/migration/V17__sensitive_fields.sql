-- Sensitive attributes (config/fields.yaml) live here, never in contact.attributes: the value as
-- Tink AEAD ciphertext under the contact's data key (associated data: contact id and field name)
-- and, for searchable fields, a keyed MAC of its exposed characters (the blind index the search
-- uses), as "<key id>:<hex>" of the index keyset, which never lives in the database.
create table contact_field (
    contact_id    uuid not null references contact (id),
    field         varchar(64) not null,
    ciphertext    text not null,
    exposed_index varchar(80),
    sealed_at     timestamp with time zone not null,
    primary key (contact_id, field)
);
create index ix_contact_field_exposed on contact_field (field, exposed_index);

-- Every field that was ever declared sensitive: removing one from config, or turning its
-- encryption off, is refused at start-up while values of it may exist encrypted.
create table sensitive_field_registry (
    field              varchar(64) primary key,
    first_encrypted_at timestamp with time zone not null
);

-- Which primary key of the KEK wrapped each contact key (null: before this version), so a KEK
-- rotation knows what is left to re-wrap.
alter table contact_key add column kek_id bigint;
-- How many keys the contact's data keyset holds, and when its newest was made (data-key rotation).
alter table contact_key add column data_key_version integer default 1 not null;

-- Every reveal of a sensitive value and every refused attempt: append-only, hash-chained in seq
-- order from the head row (one writer at a time; reveals are rare). Reason and IP are encrypted
-- under the contact's data key like ledger evidence: shredding the contact leaves the log
-- verifying and those unreadable.
create table field_access_log (
    seq          bigint primary key,
    id           uuid not null,
    occurred_at  timestamp with time zone not null,
    key_name     varchar(128) not null,
    role         varchar(16) not null,
    contact_id   uuid not null,
    field        varchar(64) not null,
    outcome      varchar(16) not null,
    rule         varchar(64) not null,
    reason       text,
    ip           varchar(400),
    prev_hash    char(64) not null,
    hash         char(64) not null
);
create index ix_field_access_contact on field_access_log (contact_id, seq);
create table field_access_head (
    id   integer primary key,
    seq  bigint not null,
    hash char(64) not null
);
insert into field_access_head (id, seq, hash) values (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Key rotations run as resumable jobs: the cursor is the last contact id done, so a restart goes on from there.
create table key_rotation (
    id          uuid primary key,
    kind        varchar(16) not null,
    state       varchar(16) not null,
    cursor_id   uuid,
    done        bigint not null,
    total       bigint not null,
    failed      bigint not null,
    started_at  timestamp with time zone not null,
    updated_at  timestamp with time zone not null,
    finished_at timestamp with time zone,
    requested_by varchar(128) not null,
    -- 1 while running, null once finished: the unique constraint lets one job run at a time.
    running     smallint unique
);

-- Keyed value hashes ("<key id>:<32 hex>") are longer than the bare prefixes they replace.
alter table crm_record alter column value_hashes set data type text;

-- The CRM change-detection hashes (crm_record, crm_opt_out_record, crm_reject) become keyed
-- MACs in migration 17.1, which needs the index keyset and so is Java (CrmHashMigration).
