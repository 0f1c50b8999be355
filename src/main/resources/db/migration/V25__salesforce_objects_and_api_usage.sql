-- Each synced sObject of a Salesforce connector keeps its own watermark (the newest SystemModstamp
-- it has read) and its own poll health, so a quiet object is not re-read because of a busy one and
-- an object Salesforce refuses (field-level security, say) is reported without stopping the others.
-- last_error holds Salesforce error codes and field names, never values.
create table sf_object_state (
    connector_id          varchar(64) not null,
    object_name           varchar(80) not null,
    watermark             timestamp,
    last_poll_at          timestamp with time zone,
    last_outcome          varchar(16),
    last_error            varchar(1000),
    consecutive_failures  integer not null default 0,
    failing_since         timestamp with time zone,
    last_success_at       timestamp with time zone,
    primary key (connector_id, object_name)
);

-- The API calls the hub made to an org, per UTC day, and what the org last said of its daily
-- allowance (Sforce-Limit-Info, /limits). paused_until: while the org refuses calls (limit reached,
-- unavailable) the connector neither polls nor writes back before then.
create table sf_api_usage (
    connector_id  varchar(64) not null,
    usage_day     date not null,
    calls         bigint not null,
    primary key (connector_id, usage_day)
);

create table sf_org_state (
    connector_id     varchar(64) primary key,
    daily_used       bigint,
    daily_max        bigint,
    limits_seen_at   timestamp with time zone,
    paused_until     timestamp with time zone,
    pause_reason     varchar(1000)
);
