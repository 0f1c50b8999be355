package io.consenthub.crm;

import io.consenthub.consent.ConsentsBlock;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The consents block of one contact as the values a CRM write-back may use, by name:
 * {@code optInStatus}, {@code emailOptOut} (true for either opt-out status), {@code stopProcessing},
 * {@code erasureRequested} and {@code consent.<purpose>} for every configured purpose; per record
 * also {@code clearOptOut}: set when the CRM's opt-out flag, raised by the hub, is to be cleared
 * (see {@link CrmSettings.WriteBack#clearHubRaisedOptOut()}).
 */
public record WriteBackValues(Map<String, Object> values) {

    public WriteBackValues {
        values = Map.copyOf(values);
    }

    public static WriteBackValues of(ConsentsBlock block) {
        var values = new LinkedHashMap<String, Object>();
        values.put("optInStatus", block.emailOptInStatus().name());
        values.put("emailOptOut", block.emailOptInStatus().isOptOut());
        values.put("stopProcessing", block.stopProcessing());
        values.put("erasureRequested", block.erasureRequested());
        block.consents().forEach(entry -> values.put("consent." + entry.purpose(), entry.granted()));
        values.put(CLEAR_OPT_OUT, false);
        return new WriteBackValues(values);
    }

    /** Every value name a write-back may use, for these purposes; config is checked against it at start-up. */
    public static java.util.List<String> names(java.util.Collection<io.consenthub.consent.Purpose> purposes) {
        var names = new java.util.ArrayList<>(java.util.List.of("optInStatus", "emailOptOut", "stopProcessing", "erasureRequested"));
        purposes.forEach(purpose -> names.add("consent." + purpose.id()));
        return names;
    }

    /** A value's name as a named SQL parameter ({@code consent.share-with-partner-acme} → {@code consent_share_with_partner_acme}). */
    public static String sqlName(String name) {
        return name.replace('.', '_').replace('-', '_');
    }

    static final String CLEAR_OPT_OUT = "clearOptOut";

    public boolean emailOptOut() {
        return Boolean.TRUE.equals(values.get("emailOptOut"));
    }

    public boolean clearOptOut() {
        return Boolean.TRUE.equals(values.get(CLEAR_OPT_OUT));
    }

    /** These values for one record: whether the flag the hub raised on it is to be cleared. */
    WriteBackValues forRecord(boolean clearOptOut) {
        var copy = new LinkedHashMap<>(values);
        copy.put(CLEAR_OPT_OUT, clearOptOut);
        return new WriteBackValues(copy);
    }

    /** The value a configuration names; an unknown name is a configuration mistake and says which exist. */
    public Object value(String name) {
        if (!values.containsKey(name)) {
            throw new IllegalArgumentException("unknown write-back value '" + name + "'; known: " + values.keySet());
        }
        return values.get(name);
    }

    /**
     * As named SQL parameters: {@code consent.share-with-partner-acme} becomes
     * {@code consent_share_with_partner_acme}; flags become {@code trueValue}/{@code falseValue}.
     */
    public Map<String, Object> sqlParameters(String externalId, String trueValue, String falseValue) {
        var parameters = new LinkedHashMap<String, Object>();
        values.forEach((name, value) -> parameters.put(sqlName(name),
                value instanceof Boolean flag ? (flag ? trueValue : falseValue) : value));
        parameters.put("externalId", externalId);
        return parameters;
    }
}
