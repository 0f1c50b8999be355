package io.consenthub.outbox;

/**
 * Where an outbox message stands. IN_FLIGHT is a lease: a message claimed by a node that died is
 * due again once its lease has run out.
 */
public enum OutboxStatus {
    PENDING,
    IN_FLIGHT,
    DELIVERED,
    /** The consent gate refused it; the reason is in last_error. Never retried. */
    REFUSED,
    /** Withdrawn before delivery, e.g. a share cancelled by a revocation. */
    CANCELLED,
    /** Retries exhausted. */
    FAILED
}
