-- Erasure (README "Erasure"): the resumable job per contact, its finished steps, and the
-- suppression list that keeps an erased person from being recreated by a later sync or import.

-- A keyed MAC (index key, its own domain) of an erased person's normalised email: never the address.
create table email_suppression (
    mac           varchar(80) primary key,
    suppressed_at timestamp with time zone not null,
    erasure_job   uuid,
    lifted_at     timestamp with time zone,
    lifted_by     varchar(128)
);

create table erasure_job (
    id              uuid primary key,
    contact_id      uuid not null,
    requested_by    varchar(128) not null,
    reason          varchar(500),
    state           varchar(16) not null,
    next_step       varchar(32),
    attempts        integer not null,
    next_attempt_at timestamp with time zone not null,
    last_error      varchar(1000),
    -- what the final scan looks for, sealed under the job's own key (wrapped by the key-encryption
    -- key); both are deleted when the job ends, so the job itself keeps no personal data
    wrapped_key     varchar(2000),
    scan_targets    text,
    certificate     text,
    created_at      timestamp with time zone not null,
    updated_at      timestamp with time zone not null,
    finished_at     timestamp with time zone,
    constraint uq_erasure_job_contact unique (contact_id)
);
create index ix_erasure_job_due on erasure_job (state, next_attempt_at);

-- One row per finished step, and per finished item of a step (one per CRM connector): a retry
-- after a partial failure skips what is here.
create table erasure_step (
    job_id      uuid not null,
    step        varchar(32) not null,
    item        varchar(200) not null,
    outcome     varchar(32) not null,
    detail      varchar(1000),
    finished_at timestamp with time zone not null,
    primary key (job_id, step, item)
);
