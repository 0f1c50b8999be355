/**
 * The contact's right of access and portability (GDPR Art. 15 and 20): one JSON document with
 * everything the hub holds on a contact, assembled from every {@link io.consenthub.contact.ContactDataSection}
 * — so a new table of personal data appears in the export by adding a section beside it. Admins
 * download it masked through the API; the contact downloads it from the preference page after
 * confirming the request from their mailbox, and only then may it carry sensitive values in plaintext.
 */
package io.consenthub.access;
