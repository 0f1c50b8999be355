-- Every access export (GDPR Art. 15/20) asked for: by the contact from the preference page
-- (delivered once, after the contact confirmed from the mailbox) or by an admin through the API.
-- Ids and times only: the document itself is never stored.
create table access_export (
    id                  uuid primary key,
    contact_id          uuid not null,
    channel             varchar(32) not null,
    requested_by        varchar(128),
    sensitive_plaintext boolean not null,
    requested_at        timestamp with time zone not null,
    delivered_at        timestamp with time zone
);
create index ix_access_export_contact on access_export (contact_id);
