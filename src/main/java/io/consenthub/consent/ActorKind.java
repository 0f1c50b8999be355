package io.consenthub.consent;

/** Who caused a consent event: decides which rules apply and is kept as evidence. */
public enum ActorKind {
    /** The person the data is about, acting on a page, form or link of the hub. */
    CONTACT,
    /** A CRM user or admin calling the API with their key. */
    USER,
    /** A CRM system syncing with the hub. */
    CRM,
    /** The hub itself, e.g. a rule that follows from another event. */
    SYSTEM
}
