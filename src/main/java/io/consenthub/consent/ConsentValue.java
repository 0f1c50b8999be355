package io.consenthub.consent;

/** The two values a purpose can hold in the ledger. */
public enum ConsentValue {
    GRANTED,
    REVOKED;

    public static ConsentValue of(boolean granted) {
        return granted ? GRANTED : REVOKED;
    }
}
