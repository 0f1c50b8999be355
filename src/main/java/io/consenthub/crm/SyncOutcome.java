package io.consenthub.crm;

/** What syncing one CRM row did to the hub. */
public enum SyncOutcome {
    CREATED,
    LINKED,
    UPDATED,
    UNCHANGED,
    MARKED_DELETED,
    /** The row's address belongs to an erased person (the suppression list): nothing was created or stored. */
    SUPPRESSED;

    /** Whether the row changed anything in the hub. */
    public boolean changedSomething() {
        return this != UNCHANGED && this != SUPPRESSED;
    }
}
