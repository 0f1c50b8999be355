package io.consenthub.crm;

import java.time.Instant;
import java.time.LocalDateTime;

/** Where a polling connector stands: its watermark and what it has seen, applied and rejected in total. */
public record CrmStatus(String connectorId, LocalDateTime watermark, long rowsSeen, long rowsApplied,
                        long rowsRejected, Instant lastPollAt) {
}
