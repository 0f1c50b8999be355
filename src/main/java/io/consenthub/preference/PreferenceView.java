package io.consenthub.preference;

import io.consenthub.receipt.Receipt;

import java.util.List;

/**
 * What the preference page shows one contact. With {@code fullAccess} false only the email part
 * (lists and unsubscribing) is present. {@code receipts} are the contact's signed consent receipts, newest first.
 */
record PreferenceView(String email, String name, boolean fullAccess, boolean optedOut, List<Item> lists, String policy,
                      List<Item> fields, Item tracking, List<Item> custom, boolean stopProcessing,
                      boolean erasureRequested, List<Receipt> receipts) {

    /** One consent as a checkbox; {@code maskedValue} is set for field-storage consents. */
    record Item(String purpose, String label, String description, boolean granted, String maskedValue) {
    }
}
