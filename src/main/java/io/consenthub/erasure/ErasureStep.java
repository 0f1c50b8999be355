package io.consenthub.erasure;

/**
 * The erasure job's steps, in the order they run. The order is the point: whatever a later step
 * needs (the address for the suppression list, the CRM record ids, the key that opens the sealed
 * fields) is destroyed only by a step after it, so a retry after a partial failure can always
 * finish — the common failure of erasing identifiers first is impossible by construction.
 */
public enum ErasureStep {
    /** The address goes on the suppression list (a keyed MAC), while it still opens. */
    SUPPRESS,
    /** Each linked CRM erases its records by the connector's erase config, one connector at a time. */
    CRM,
    /** Every partner that received the contact has acknowledged its revocation notice (or the wait is over). */
    PARTNERS,
    /** Every part of the hub deletes or anonymises what it keeps of the contact. */
    HUB_DATA,
    /** The contact's data key is destroyed: evidence and sealed fields become unreadable; the ledger still verifies. */
    KEYS,
    /** The contact row is anonymised and its CRM links removed. */
    CONTACT,
    /** Every hub table and the log files are scanned for what was erased; the certificate is written. */
    PROOF;

    /** The step after this one; null after the last. */
    ErasureStep next() {
        return ordinal() + 1 < values().length ? values()[ordinal() + 1] : null;
    }
}
