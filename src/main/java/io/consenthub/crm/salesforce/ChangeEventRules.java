package io.consenthub.crm.salesforce;

import java.util.Set;

/**
 * What the hub does with one Change Data Capture event, decided from the event alone: the rule of
 * the streaming connector, in one place ({@code ChangeEventRulesTest} tables every case).
 *
 * <p>An opt-out travels in the event ({@code HasOptedOutOfEmail} changed to true), and so does a
 * deletion: both are applied at once, without an API call, because they are what must reach the
 * hub in seconds. Everything else a mapped field can say (a new record, a changed email or name,
 * an opt-out cleared, an undelete) needs the whole record, since an update event carries only the
 * changed fields: the record is read by Id. A change of fields the hub does not map costs nothing.
 * Gap events (Salesforce could not build the event's body) are read likewise; an overflow (too
 * many changes in one transaction to describe) polls the object.
 */
final class ChangeEventRules {

    /** Fields that change with every edit and say nothing the hub maps. */
    private static final Set<String> NOISE = Set.of("LastModifiedDate", "SystemModstamp", "LastModifiedById", "Id");

    /** The reaction to one event; several can hold (an opt-out with a changed name: apply, then read). */
    record Reaction(boolean optOut, boolean delete, boolean read, boolean poll) {

        static final Reaction IGNORE = new Reaction(false, false, false, false);
        static final Reaction READ = new Reaction(false, false, true, false);
        static final Reaction DELETE = new Reaction(false, true, false, false);
        static final Reaction POLL = new Reaction(false, false, false, true);
    }

    private ChangeEventRules() {
    }

    /**
     * The fields an event names, as the sync's SOQL names them. Salesforce names a part of a
     * compound field by the compound: {@code Name.FirstName}, {@code MailingAddress.Country}
     * ({@code changedFields}, and nested under {@code Name} or {@code MailingAddress} in the body),
     * while a query selects {@code FirstName} and {@code MailingCountry}; a Lead's or Account's
     * {@code Address.Country} is {@code Country}, {@code BillingAddress.City} {@code BillingCity}.
     */
    static Set<String> fieldNames(Set<String> named) {
        var fields = new java.util.LinkedHashSet<String>();
        for (String name : named) {
            int dot = name.indexOf('.');
            if (dot <= 0 || dot == name.length() - 1) {
                fields.add(name);
                continue;
            }
            String compound = name.substring(0, dot);
            String part = name.substring(dot + 1);
            if (compound.equals("Name")) {
                fields.add(part);
            } else if (compound.endsWith("Address")) {
                fields.add(compound.substring(0, compound.length() - "Address".length()) + part);
            } else {
                fields.add(compound);
            }
        }
        return fields;
    }

    /**
     * @param changeType    the header's changeType (CREATE, UPDATE, DELETE, UNDELETE, GAP_*)
     * @param changedFields the fields the event says changed (header changedFields and body keys),
     *                      compound parts as {@link #fieldNames} names them
     * @param optOutValue   the opt-out field's value in the event's body, null if absent
     * @param readFields    the fields the sync reads from the object (its mapping)
     * @param optOutField   the object's opt-out field
     */
    static Reaction of(String changeType, Set<String> changedFields, Object optOutValue, Set<String> readFields,
                       String optOutField) {
        if (changeType == null) {
            return Reaction.READ;
        }
        return switch (changeType) {
            case "CREATE", "UNDELETE", "GAP_CREATE", "GAP_UPDATE", "GAP_UNDELETE" -> Reaction.READ;
            case "DELETE", "GAP_DELETE" -> Reaction.DELETE;
            case "GAP_OVERFLOW" -> Reaction.POLL;
            case "UPDATE" -> update(fieldNames(changedFields), optOutValue, readFields, optOutField);
            // A change type Salesforce adds later: reading the record never loses anything.
            default -> Reaction.READ;
        };
    }

    private static Reaction update(Set<String> changedFields, Object optOutValue, Set<String> readFields, String optOutField) {
        boolean optOut = changedFields.contains(optOutField) && isTrue(optOutValue);
        boolean read = changedFields.stream()
                .filter(field -> !NOISE.contains(field))
                .filter(field -> !(optOut && field.equals(optOutField)))
                .anyMatch(readFields::contains);
        return new Reaction(optOut, false, read, false);
    }

    private static boolean isTrue(Object value) {
        return Boolean.TRUE.equals(value) || value instanceof String text && text.equalsIgnoreCase("true");
    }
}
