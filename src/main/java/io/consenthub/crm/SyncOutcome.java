package io.consenthub.crm;

/** What applying one CRM row did. */
public enum SyncOutcome {
    CREATED,
    LINKED,
    UPDATED,
    UNCHANGED,
    MARKED_DELETED
}
