package io.consenthub.consent.optin;

/**
 * Everything that can try to move an Email Opt-In Status. Actions are named for what happened
 * in the world (a form was submitted, a user set an opt-out), not for the target status, so that
 * the same action can be judged differently depending on where the contact stands.
 */
public enum OptInAction {
    /** A CRM user marks the contact as opted in on create, import or later from NONE. */
    SET_SINGLE_OPT_IN_USER,
    /** The contact submitted a web form with the "email me marketing" box checked. */
    SUBMIT_WEB_FORM_OPT_IN,
    /** A user (or the hub, after a web form) asks for a double-opt-in email to be sent. */
    REQUEST_DOUBLE_OPT_IN,
    /** The contact confirmed the link of a double-opt-in email. */
    CONFIRM_DOUBLE_OPT_IN,
    /** A user (or a CRM's own opt-out flag) records that the contact asked not to be emailed. */
    SET_OPT_OUT_USER,
    /** A user reverses an earlier user opt-out because the contact asked them to. */
    REVERT_OPT_OUT_USER,
    /** The contact opted out themselves: preference page or one-click unsubscribe. */
    OPT_OUT_BY_CONTACT,
    /** The contact's primary email address changed. */
    CHANGE_PRIMARY_EMAIL
}
