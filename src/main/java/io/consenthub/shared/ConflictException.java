package io.consenthub.shared;

/**
 * A well-formed request that the current state forbids (a refused opt-in transition, a duplicate
 * email). Answered 409 with the message; the transaction that raised it writes nothing.
 */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }

    /** With the database's own account of the conflict, for the log; the message stays the one answered. */
    public ConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
