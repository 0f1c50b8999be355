package io.consenthub.consent;

import io.consenthub.consent.optin.EmailOptInStatus;
import io.consenthub.contact.ContactId;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one typed reading of a contact's consent state, taken once from the ledger's projection:
 * the opt-in status, the two restrictions and every configured purpose with its default applied.
 * The decision service decides from this value alone, so no other class parses state maps, compares
 * status strings or forgets a purpose's {@code default}.
 *
 * @param purposes every configured purpose by id, in configuration order
 */
public record ContactState(ContactId contact, EmailOptInStatus emailOptIn, boolean stopProcessing,
                           boolean erasureRequested, Map<String, PurposeValue> purposes) {

    public ContactState {
        purposes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(purposes));
    }

    /**
     * One purpose's effective value for this contact.
     *
     * @param granted  the contact's answer, or the purpose's default while they never answered
     * @param answered false while the default applies
     */
    public record PurposeValue(Purpose purpose, boolean granted, boolean answered) {
    }

    /** The purpose's effective value; a purpose that is not configured is never granted. */
    public boolean granted(String purposeId) {
        PurposeValue value = purposes.get(purposeId);
        return value != null && value.granted();
    }

    public Optional<PurposeValue> purpose(String purposeId) {
        return Optional.ofNullable(purposes.get(purposeId));
    }

    public List<PurposeValue> ofKind(PurposeKind kind) {
        return purposes.values().stream().filter(v -> v.purpose().kind() == kind).toList();
    }

    /** The field-storage purpose covering a sensitive attribute, if the attribute is sensitive. */
    public Optional<PurposeValue> storageOf(String field) {
        return ofKind(PurposeKind.FIELD_STORAGE).stream().filter(v -> field.equals(v.purpose().field())).findFirst();
    }

    /** The custom purposes that allow sharing with a partner. */
    public List<PurposeValue> sharingWith(String partner) {
        return purposes.values().stream().filter(v -> partner.equals(v.purpose().partner())).toList();
    }
}
