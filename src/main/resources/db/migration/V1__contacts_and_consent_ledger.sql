-- Contacts: identity and CRM data. Consent state lives in the ledger tables below.
create table contact (
    id            uuid primary key,
    primary_email varchar(320) not null,
    email_key     varchar(320) not null,
    attributes    text not null,
    created_at    timestamp with time zone not null,
    updated_at    timestamp with time zone not null,
    version       bigint not null,
    constraint uq_contact_email_key unique (email_key)
);

create table crm_link (
    connector_id varchar(64)  not null,
    external_id  varchar(255) not null,
    contact_id   uuid not null references contact (id),
    linked_at    timestamp with time zone not null,
    primary key (connector_id, external_id)
);
create index ix_crm_link_contact on crm_link (contact_id);

-- Append-only consent ledger. seq is gapless (assigned under the ledger_head row lock), and each
-- row's hash covers its fields and the previous row's hash, so edits, insertions and deletions
-- are detectable by re-walking the chain.
create table consent_event (
    seq            bigint primary key,
    event_id       uuid not null,
    contact_id     uuid not null,
    event_type     varchar(40) not null,
    subject        varchar(64) not null,
    new_value      varchar(64),
    previous_value varchar(64),
    actor_kind     varchar(16) not null,
    actor_id       varchar(128),
    channel        varchar(64) not null,
    occurred_at    timestamp with time zone not null,
    ip             varchar(64),
    user_agent     varchar(512),
    proof_id       varchar(128),
    note           varchar(1000),
    prev_hash      char(64) not null,
    hash           char(64) not null,
    constraint uq_consent_event_id unique (event_id)
);
create index ix_consent_event_contact on consent_event (contact_id, seq);

create table ledger_head (
    id        integer primary key,
    last_seq  bigint not null,
    last_hash char(64) not null
);
insert into ledger_head (id, last_seq, last_hash)
values (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Projection of the ledger: the current value of each subject (a purpose id, or 'email-opt-in')
-- per contact. Rebuilt from consent_event by replay; verified by the ledger check.
create table consent_state (
    contact_id  uuid not null references contact (id),
    subject     varchar(64) not null,
    state_value varchar(64) not null,
    updated_at timestamp with time zone not null,
    event_seq  bigint not null,
    primary key (contact_id, subject)
);
create index ix_consent_state_subject on consent_state (subject, state_value);
