-- A set of changes proposed on the preference page, applied only when the contact confirms it
-- through the link mailed to the address on record.
create table preference_change (
    id          varchar(64) primary key,
    contact_id  uuid not null references contact (id),
    changes     text not null,
    status      varchar(16) not null,
    proposed_ip varchar(64),
    created_at  timestamp with time zone not null,
    decided_at  timestamp with time zone
);
create index ix_preference_change_contact on preference_change (contact_id, status);

-- Contacts who were told (once) that the preference page is open to them.
create table preference_notice (
    contact_id uuid primary key references contact (id),
    sent_at    timestamp with time zone not null
);
