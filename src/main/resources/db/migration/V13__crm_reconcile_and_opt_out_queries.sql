-- Reconcile (a JDBC connector's scheduled full re-scan): when each record was last returned by a
-- re-scan, and each connector's last run, so records the hub holds that the CRM no longer returns
-- are reported. External ids and counts only, no personal data.
alter table crm_record add column seen_at timestamp with time zone;

create table crm_reconcile (
    connector_id  varchar(64) primary key,
    started_at    timestamp with time zone not null,
    finished_at   timestamp with time zone,
    rows_seen     bigint not null,
    rows_applied  bigint not null,
    missing       bigint not null
);

-- A connector's opt-out query (opt-outs kept in a joined table that changes no record timestamp):
-- where it resumes, and per record the hashes of the opt-out rows applied, so a re-read row is
-- applied once (a record may have several rows, one per address).
create table crm_opt_out_watermark (
    connector_id  varchar(64) primary key,
    watermark     timestamp not null
);

create table crm_opt_out_record (
    connector_id  varchar(64)  not null,
    external_id   varchar(255) not null,
    row_hash      char(64) not null,
    primary key (connector_id, external_id, row_hash)
);
