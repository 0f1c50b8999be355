-- What the hub knows of each Salesforce record's DoNotCall (or PersonDoNotCall) flag, so that a
-- flag is a refusal of the phone purpose only when it goes from not set to set in Salesforce
-- (re-reading an unchanged record changes nothing), and the hub never takes over or clears a flag
-- a Salesforce user set. No row: the flag was last seen not set (or never seen set).
-- owner: CRM = last seen set by Salesforce (the refusal is recorded); HUB = the hub raised it by
-- write-back because it held no phone consent (read back it is no refusal; the hub clears it once
-- the contact grants the purpose); null = the hub cleared the flag it had raised.
-- hub_wrote_at: when the hub last raised or cleared the flag. A read asked for no later than that
-- which disagrees with what the hub wrote may show the record before the write, and is ignored
-- (a later read, at the latest the poll's look-back, decides). The row goes when a read after the
-- hub's last write shows the flag not set.
create table sf_do_not_call (
    connector_id  varchar(64) not null,
    external_id   varchar(64) not null,
    owner         varchar(3),
    hub_wrote_at  timestamp with time zone,
    primary key (connector_id, external_id)
);
