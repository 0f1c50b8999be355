-- The language a contact last used on the hub's pages: mail to them follows it.
create table contact_language (
    contact_id uuid primary key references contact (id),
    language   varchar(8) not null,
    updated_at timestamp with time zone not null
);

-- The origin of a change a contact confirmed by email: for a web form its channel, form (actor),
-- submission id and the form's IP and user agent, kept beside the confirming browser's evidence.
-- IP and user agent are ciphertext under the contact's key, like the other evidence columns.
alter table consent_event add column origin_channel varchar(64);
alter table consent_event add column origin_actor_id varchar(128);
alter table consent_event add column origin_proof_id varchar(128);
alter table consent_event add column origin_ip varchar(400);
alter table consent_event add column origin_user_agent varchar(2800);

-- The same origin while a change set waits for its confirmation (IP and user agent encrypted).
alter table preference_change add column origin_channel varchar(64);
alter table preference_change add column origin_actor_id varchar(128);
alter table preference_change add column origin_proof_id varchar(128);
alter table preference_change add column origin_ip varchar(400);
alter table preference_change add column origin_user_agent varchar(2800);
