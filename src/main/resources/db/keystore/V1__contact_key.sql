-- The key store: per-contact data keys (Tink keysets wrapped by the KEK), kept apart from the
-- data they open so that a backup of the data holds no key. Same shape as contact_key in the
-- hub's database (used when no separate key store is configured).
create table contact_key (
    contact_id       uuid primary key,
    wrapped_key      varchar(2000),
    created_at       timestamp with time zone not null,
    destroyed_at     timestamp with time zone,
    kek_id           bigint,
    data_key_version integer default 1 not null
);
