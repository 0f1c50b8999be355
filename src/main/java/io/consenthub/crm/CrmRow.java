package io.consenthub.crm;

import java.time.LocalDateTime;
import java.util.Map;

/**
 * One record as a CRM delivered it, already mapped to hub attribute names but not yet validated.
 * {@code rowHash} covers every value read, so an unchanged re-read is recognised.
 */
public record CrmRow(String connectorId, String externalId, String email, Map<String, String> attributes,
                     boolean emailOptOut, boolean deleted, LocalDateTime modified, String rowHash) {
}
