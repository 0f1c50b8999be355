/**
 * Retention (storage limitation): contacts who granted no consent and showed no activity for a
 * configured period are listed for review or anonymised through the erasure job, each action
 * recorded. Whether data may be kept is the decision service's question ({@code Act.KeepData}).
 */
package io.consenthub.retention;
