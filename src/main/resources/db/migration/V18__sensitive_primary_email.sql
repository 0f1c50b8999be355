-- The primary email may be declared sensitive (consent-hub.fields.email.sensitive): primary_email
-- then holds Tink AEAD ciphertext (base64) under the contact's data key, longer than the address,
-- and email_key the keyed MAC "<key id>:<hex>" of the normalised address instead of that form.
alter table contact alter column primary_email set data type varchar(2000);
