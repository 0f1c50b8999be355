package io.consenthub.consent;

/** What a ledger event records. Only the state-changing types move the projection. */
public enum EventType {
    OPT_IN_STATUS_CHANGED(true),
    DOUBLE_OPT_IN_REQUESTED(false),
    CONSENT_GRANTED(true),
    CONSENT_REVOKED(true);

    private final boolean changesState;

    EventType(boolean changesState) {
        this.changesState = changesState;
    }

    public boolean changesState() {
        return changesState;
    }
}
