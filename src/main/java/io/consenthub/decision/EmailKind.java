package io.consenthub.decision;

/**
 * The kinds of email the hub sends; every message carries one and the gate decides by it
 * (DESIGN §1.3: opt-outs stop every new email, replies to the contact's own conversation are allowed).
 */
public enum EmailKind {
    /** Marketing to a list: needs an opt-in status the sending policy accepts and the list subscription. */
    CAMPAIGN,
    AUTORESPONDER,
    WORKFLOW,
    /** Written by a CRM user to one contact. */
    AD_HOC,
    /** A reply; allowed whatever the status when it answers a conversation the contact started. */
    REPLY,
    /** The double-opt-in confirmation request. */
    DOUBLE_OPT_IN,
    /** A notice the contact's own act requires, e.g. the confirmation of an opt-out or of pending changes. */
    NOTICE
}
