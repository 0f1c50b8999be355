-- How each polling connector's last polls went, so a connector failing every poll is visible in
-- its status, its metrics and the health endpoint. last_error holds exception class names and the
-- hub's own messages only, never a driver's message (which may quote values).
create table crm_poll_health (
    connector_id          varchar(64) primary key,
    last_poll_at          timestamp with time zone not null,
    last_outcome          varchar(16) not null,
    last_error            varchar(1000),
    consecutive_failures  integer not null,
    failing_since         timestamp with time zone,
    last_success_at       timestamp with time zone
);

-- One open reject per connector, record and reason: a row re-read with the same fault is seen
-- again (last_seen_at, row_hash of the version seen), not inserted again; a later version of the
-- record applied successfully closes its open rejects (closed_at).
alter table crm_reject add column row_hash varchar(64);
alter table crm_reject add column last_seen_at timestamp with time zone;
alter table crm_reject add column closed_at timestamp with time zone;
create index ix_crm_reject_record on crm_reject (connector_id, external_id);

-- Who raised the CRM record's opt-out flag as the hub last knew it: null (not set), CRM (read set
-- from the CRM) or HUB (raised by the hub's own write-back, so not read back as a new opt-out).
alter table crm_record add column opt_out_flag varchar(8);

-- Write-back outcomes per CRM, newest first (GET /api/crm/{id}/write-backs).
create index ix_outbox_destination on outbox (kind, destination, id);
