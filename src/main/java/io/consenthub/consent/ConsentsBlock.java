package io.consenthub.consent;

import io.consenthub.consent.optin.EmailOptInStatus;

import java.time.Instant;
import java.util.List;

/**
 * A contact's consents as CRM users see them (DESIGN §1.1): the opt-in status and one entry per
 * purpose, marking which values are the configured default because the contact never answered.
 */
public record ConsentsBlock(EmailOptInStatus emailOptInStatus, boolean stopProcessing, boolean erasureRequested,
                            List<Entry> consents) {

    public ConsentsBlock {
        consents = List.copyOf(consents);
    }

    /** One purpose's current value; {@code answered} is false while the default applies. */
    public record Entry(String purpose, PurposeKind kind, boolean granted, boolean answered, Instant updatedAt) {
    }
}
