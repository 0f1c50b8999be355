package io.consenthub.contact;

/**
 * A part of the hub that keeps data of contacts in tables of its own (mail, pages, links, CRM
 * bookkeeping…). Erasure asks every holder, by this interface, to delete or anonymise what it keeps
 * of one contact, so a new table holding personal data is erased by adding one implementation
 * beside it rather than by editing the erasure job. A holder is also a {@link ContactDataSection}:
 * what erasure deletes, the access export shows first.
 */
public interface ContactDataHolder extends ContactDataSection {

    /** The holder's name in the erasure certificate and the access export ({@code email}, {@code links}…). */
    @Override
    String name();

    /**
     * Deletes or anonymises everything this holder keeps of the contact, in the caller's
     * transaction. Idempotent: a second call after a crash finds nothing and answers 0.
     *
     * @return the rows deleted or anonymised
     */
    int erase(ContactId contact);
}
