package io.consenthub.system;

/**
 * What an API key may do. ADMIN may do everything; USER is a CRM user (marketing, billing);
 * CRM is a syncing CRM system; WEBFORM is a website backend that forwards form submissions.
 */
public enum ApiRole {
    ADMIN,
    USER,
    CRM,
    WEBFORM
}
