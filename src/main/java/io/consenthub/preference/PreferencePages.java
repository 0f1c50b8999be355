package io.consenthub.preference;

import io.consenthub.consent.ConsentsBlock;
import io.consenthub.consent.ConsentRecords;
import io.consenthub.consent.Purpose;
import io.consenthub.consent.PurposeCatalog;
import io.consenthub.consent.PurposeKind;
import io.consenthub.consent.optin.EmailOptInStatus;
import io.consenthub.contact.Contact;
import io.consenthub.receipt.ConsentReceipts;
import io.consenthub.contact.DisplayText;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.fields.FieldMask;
import io.consenthub.fields.SensitiveFields;
import io.consenthub.contact.ContactId;
import org.springframework.stereotype.Service;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Decides what the preference page shows a contact — the page-access condition, each consent's
 * condition, each default — and turns a submitted form into the changes it asks for. Only purposes
 * the contact was shown can change, so an edited form cannot reach a hidden consent.
 */
@Service
class PreferencePages {

    private final ContactDirectory contacts;
    private final ConsentRecords consents;
    private final PurposeCatalog catalog;
    private final Conditions conditions;
    private final PreferenceSettings settings;
    private final ConsentReceipts receipts;

    private final SensitiveFields sensitive;

    PreferencePages(ContactDirectory contacts, ConsentRecords consents, PurposeCatalog catalog, Conditions conditions,
                    PreferenceSettings settings, SensitiveFields sensitive, ConsentReceipts receipts) {
        this.sensitive = sensitive;
        this.receipts = receipts;
        this.contacts = contacts;
        this.consents = consents;
        this.catalog = catalog;
        this.conditions = conditions;
        this.settings = settings;
    }

    PreferenceView view(ContactId id, Locale locale) {
        Contact contact = contacts.get(id);
        ConsentsBlock block = consents.block(id);
        Map<String, ConsentsBlock.Entry> entries = block.consents().stream()
                .collect(Collectors.toMap(ConsentsBlock.Entry::purpose, Function.identity()));
        boolean full = fullAccess(contact);
        String language = locale.getLanguage();
        var lists = new ArrayList<PreferenceView.Item>();
        var fields = new ArrayList<PreferenceView.Item>();
        var custom = new ArrayList<PreferenceView.Item>();
        PreferenceView.Item tracking = null;
        for (Purpose purpose : visible(contact)) {
            boolean granted = entries.get(purpose.id()).granted();
            String description = purpose.descriptions().getOrDefault(language, purpose.descriptions().get("en"));
            switch (purpose.kind()) {
                case EMAIL_LIST -> lists.add(new PreferenceView.Item(purpose.id(), purpose.label(language), description, granted, null));
                case FIELD_STORAGE -> fields.add(new PreferenceView.Item(purpose.id(), purpose.label(language), description, granted,
                        shown(purpose.field(), contact.attributes().values().get(purpose.field()))));
                case TRACKING -> tracking = new PreferenceView.Item(purpose.id(), purpose.label(language), description, granted, null);
                case CUSTOM -> custom.add(new PreferenceView.Item(purpose.id(), purpose.label(language), description, granted, null));
                case STOP_PROCESSING, ERASURE -> { }
            }
        }
        String name = DisplayText.safe(sensitive.masked("firstName", contact.attributes().values().getOrDefault("firstName", "")));
        return new PreferenceView(contact.primaryEmail().value(), name, full, block.emailOptInStatus().isOptOut(),
                lists, full ? settings.policy(language) : null, fields, tracking, custom, block.stopProcessing(), block.erasureRequested(),
                receipts.of(id));
    }

    /**
     * The changes a submitted form asks for: every shown checkbox whose state differs from the
     * current value, plus the buttons' actions.
     */
    List<Change> changes(ContactId id, Set<String> checked, boolean unsubscribeAll, String action) {
        Contact contact = contacts.get(id);
        ConsentsBlock block = consents.block(id);
        Map<String, Boolean> current = block.consents().stream()
                .collect(Collectors.toMap(ConsentsBlock.Entry::purpose, ConsentsBlock.Entry::granted));
        var changes = new ArrayList<Change>();
        if ("stop-processing".equals(action) || "erase".equals(action)) {
            if (!fullAccess(contact)) {
                return List.of();
            }
            PurposeKind kind = "erase".equals(action) ? PurposeKind.ERASURE : PurposeKind.STOP_PROCESSING;
            catalog.ofKind(kind).filter(p -> !current.get(p.id())).ifPresent(p -> changes.add(new Change(p.id(), true)));
            return changes;
        }
        for (Purpose purpose : visible(contact)) {
            if (purpose.kind() == PurposeKind.STOP_PROCESSING || purpose.kind() == PurposeKind.ERASURE) {
                continue;
            }
            boolean wanted = checked.contains(purpose.id());
            if (wanted != current.get(purpose.id())) {
                changes.add(new Change(purpose.id(), wanted));
            }
        }
        if (unsubscribeAll && block.emailOptInStatus() != EmailOptInStatus.OPT_OUT_CONTACT) {
            changes.add(Change.unsubscribeAll());
        }
        return changes;
    }

    /**
     * Whether a change set contradicts itself: a new yes to an email list together with
     * unsubscribing from all marketing email. Lists left as they were do not count, so a
     * subscriber who only ticks "unsubscribe from all" is unsubscribed, as withdrawing must be easy.
     */
    boolean contradictory(List<Change> changes) {
        return changes.stream().anyMatch(Change::isUnsubscribeAll)
                && changes.stream().anyMatch(c -> c.granted() && !c.isUnsubscribeAll()
                        && catalog.find(c.purpose()).map(p -> p.kind() == PurposeKind.EMAIL_LIST).orElse(false));
    }

    /** Human-readable lines for a change set, for the confirmation page and mail. */
    List<String> describe(List<Change> changes, Locale locale, java.util.function.BiFunction<String, Object[], String> messages) {
        return changes.stream().map(change -> {
            if (change.isUnsubscribeAll()) {
                return messages.apply("preferences.change.unsubscribeAll", new Object[0]);
            }
            if (change.isWebFormOptIn()) {
                return messages.apply("preferences.change.marketingOptIn", new Object[0]);
            }
            String label = catalog.find(change.purpose()).map(p -> p.label(locale.getLanguage())).orElse(change.purpose());
            return messages.apply(change.granted() ? "preferences.change.grant" : "preferences.change.revoke", new Object[] {label});
        }).toList();
    }

    boolean fullAccess(Contact contact) {
        return conditions.test(settings.accessCondition(), contact.attributes().values());
    }

    private List<Purpose> visible(Contact contact) {
        boolean full = fullAccess(contact);
        return catalog.all().stream()
                .filter(p -> full || p.kind() == PurposeKind.EMAIL_LIST)
                // A storage consent is asked where the hub holds the value, and also where it defaults
                // to "no": such a value cannot arrive before the answer, so hiding the question until
                // it did would make the consent impossible to give.
                .filter(p -> p.kind() != PurposeKind.FIELD_STORAGE || contact.attributes().values().containsKey(p.field())
                        || !p.defaultValue())
                .filter(p -> conditions.test(p.condition(), contact.attributes().values()))
                .toList();
    }

    /** A stored field's value as the page shows it: the mask of config/fields.yaml, never the value itself. */
    private String shown(String field, String value) {
        if (value == null || value.isBlank()) {
            return "";
        }
        return DisplayText.safe(sensitive.isSensitive(field) ? sensitive.masked(field, value) : FieldMask.HIDDEN);
    }
}
