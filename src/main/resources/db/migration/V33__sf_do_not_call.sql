-- The Salesforce records whose DoNotCall (or PersonDoNotCall) flag the hub raised itself by
-- write-back because it held no phone consent. Read back, such a flag is not the CRM's opt-out of
-- the phone purpose: after the contact later grants it, it would undo that grant. The hub clears
-- the flags it raised once it holds the consent; a flag a Salesforce user set is never cleared.
-- raised_at: when the hub first raised it. The mark goes when the hub has cleared the flag itself,
-- or when a page asked for before raised_at shows the flag set: then it was Salesforce's own.
create table sf_do_not_call (
    connector_id  varchar(64) not null,
    external_id   varchar(64) not null,
    raised_at     timestamp with time zone not null,
    primary key (connector_id, external_id)
);
