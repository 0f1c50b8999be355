-- When each contact's address on record last changed (README "Access export"): sensitive values
-- leave in plaintext only to a mailbox that has been the contact's for a while, so whoever changes
-- the address (an API key, a CRM) cannot have them mailed to a mailbox of their own.
create table mailbox_change (
    contact_id uuid primary key,
    changed_at timestamp with time zone not null
);
