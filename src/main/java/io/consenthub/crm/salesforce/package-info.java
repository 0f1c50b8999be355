/**
 * The Salesforce connector: per-object polls with their own watermarks, the preflight describe,
 * reconcile with getDeleted, the limits-aware camel-salesforce client and the sObject Collections
 * write-back. Part of the crm module, published as the named interface {@code salesforce} for the
 * API's status and reconcile.
 */
@org.springframework.modulith.NamedInterface("salesforce")
package io.consenthub.crm.salesforce;
