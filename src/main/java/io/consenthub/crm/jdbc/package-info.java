/**
 * The config-driven JDBC connector: its poll, opt-out query, reconcile and dry run (the routes in
 * {@code routes/crm/jdbc-crm-sync.camel.yaml} call them) and its write-back. Part of the crm
 * module, published as the named interface {@code jdbc} for the API's dry run and reconcile.
 */
@org.springframework.modulith.NamedInterface("jdbc")
package io.consenthub.crm.jdbc;
