package io.consenthub.contact;

/**
 * A part of the hub that can say what it keeps of one contact, as a section of the contact's
 * access export (GDPR Art. 15 and 20). Each owner of a table describes its own rows, so the export
 * grows with the hub instead of with a list someone has to remember to update; every
 * {@link ContactDataHolder} is one, so whatever erasure deletes the export also shows.
 */
public interface ContactDataSection {

    /** The section's name in the export ({@code email}, {@code links}…), unique across the hub. */
    String name();

    /**
     * What this part keeps of the contact, as JSON-serialisable values (records, maps, lists):
     * the contact's own data, never secrets such as link tokens or keys. Read in the caller's
     * transaction.
     */
    Object export(ContactId contact);
}
