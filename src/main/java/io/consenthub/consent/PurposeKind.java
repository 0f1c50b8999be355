package io.consenthub.consent;

/** The kinds of consent purpose a contact can grant or revoke (DESIGN §1.1). */
public enum PurposeKind {
    EMAIL_LIST,
    FIELD_STORAGE,
    TRACKING,
    CUSTOM,
    STOP_PROCESSING,
    ERASURE
}
