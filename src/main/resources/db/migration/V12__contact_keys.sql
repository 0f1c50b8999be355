-- Per-contact evidence keys (Tink AEAD keysets), each wrapped by the key-encryption keyset that
-- the hub loads from a file or the environment, never from here. wrapped_key is null once the
-- key was destroyed (crypto-shredding on erasure): the row stays as a tombstone so no new key is
-- made for that contact.
create table contact_key (
    contact_id   uuid primary key,
    wrapped_key  varchar(2000),
    created_at   timestamp with time zone not null,
    destroyed_at timestamp with time zone
);

-- Evidence columns now hold base64 ciphertext (Tink AES256-GCM under the contact's key), which
-- is longer than the plaintext it replaces. V12.1 encrypts the existing rows and re-chains.
alter table consent_event alter column ip set data type varchar(400);
alter table consent_event alter column user_agent set data type varchar(2800);
alter table consent_event alter column note set data type varchar(5400);
