package io.consenthub.receipt;

import java.time.Instant;
import java.util.UUID;

/** One issued receipt as the preference page lists it: its id, when, and where to download it. */
public record Receipt(UUID id, Instant issuedAt, String href) {
}
