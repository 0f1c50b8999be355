-- A Salesforce connector that streams Change Data Capture events keeps, per channel, the replay id
-- of the last event it has applied, so a restarted hub (or a new leader) subscribes from there and
-- the events of the downtime are replayed (Salesforce keeps them for three days). last_error holds
-- codes and record ids only, never values.
create table sf_stream_state (
    connector_id      varchar(64) not null,
    channel           varchar(200) not null,
    replay_id         bigint,
    events            bigint not null default 0,
    last_event_at     timestamp with time zone,
    subscribed_since  timestamp with time zone,
    last_error        varchar(1000),
    last_error_at     timestamp with time zone,
    primary key (connector_id, channel)
);
