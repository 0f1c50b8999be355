package io.consenthub.preference;

import java.util.List;

/**
 * What the preference page shows one contact. With {@code fullAccess} false only the email part
 * (lists and unsubscribing) is present.
 */
record PreferenceView(String email, String name, boolean fullAccess, boolean optedOut, List<Item> lists, String policy,
                      List<Item> fields, Item tracking, List<Item> custom, boolean stopProcessing,
                      boolean erasureRequested) {

    /** One consent as a checkbox; {@code maskedValue} is set for field-storage consents. */
    record Item(String purpose, String label, String description, boolean granted, String maskedValue) {
    }
}
