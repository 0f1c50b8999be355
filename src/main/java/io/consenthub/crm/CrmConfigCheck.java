package io.consenthub.crm;

import io.consenthub.consent.PurposeCatalog;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks every declared CRM connector once, at start-up, and refuses to start with every problem
 * listed, each naming its file and key. Spring binds what it recognises and silently ignores the
 * rest, so a misspelt {@code email-opt-uot} would otherwise leave opt-outs unread with no sign.
 * The known keys are the components of {@link CrmSettings.Connector} and its records: the settings
 * type is the schema, so a key added there is known here without a second list.
 */
@Component
class CrmConfigCheck implements InitializingBean {

    static final String PREFIX = "consent-hub.crm.connectors";
    private static final Pattern CONNECTOR_ID = Pattern.compile("[a-z][a-z0-9-]*");
    private static final Set<String> KINDS = Set.of("jdbc", "salesforce", "push");
    /**
     * Sections that only one kind reads; anywhere else they are a mistake that would be ignored.
     * Keyed by Spring's uniform form (lower case, no dashes), as every spelling of a key compares.
     */
    private static final Map<String, String> SECTION_KIND = Map.of(
            "jdbc", "jdbc", "query", "jdbc", "columns", "jdbc", "optoutquery", "jdbc", "reconcile", "jdbc",
            "salesforce", "salesforce");

    private final Environment environment;
    private final CrmSettings settings;
    private final PurposeCatalog catalog;
    private final List<ConnectorCheck> kindChecks;

    CrmConfigCheck(Environment environment, CrmSettings settings, PurposeCatalog catalog, List<ConnectorCheck> kindChecks) {
        this.environment = environment;
        this.settings = settings;
        this.catalog = catalog;
        this.kindChecks = kindChecks;
    }

    @Override
    public void afterPropertiesSet() {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the CRM connector configuration is invalid:\n  - " + String.join("\n  - ", problems));
        }
    }

    List<String> problems() {
        var problems = new ArrayList<String>();
        Map<ConfigurationPropertyName, String> declared = declaredKeys();
        declared.forEach((name, where) -> {
            String problem = keyProblem(name);
            if (problem != null) {
                problems.add(name + ": " + problem);
            }
        });
        settings.connectors().forEach((id, connector) -> {
            String at = PREFIX + "." + id + ".";
            if (!CONNECTOR_ID.matcher(id).matches()) {
                problems.add(at.substring(0, at.length() - 1) + ": a connector id is lower-case letters, digits and '-', starting with a letter");
            }
            if (connector.kind() == null || !KINDS.contains(connector.kind())) {
                problems.add(at + "kind: must be one of " + new TreeSet<>(KINDS) + ", is " + connector.kind());
                return;
            }
            if (connector.writeBack() != null) {
                for (String value : connector.writeBack().fields().values()) {
                    if (!WriteBackValues.names(catalog.all()).contains(value)) {
                        problems.add(at + "write-back.fields: unknown value '" + value + "'; known: " + WriteBackValues.names(catalog.all()));
                    }
                }
            }
            eraseProblems(at, connector, problems);
            for (ConnectorCheck check : kindChecks) {
                if (check.kind().equals(connector.kind())) {
                    check.check(id, connector, problems);
                }
            }
        });
        return problems.stream().map(problem -> located(problem, declared)).toList();
    }

    /** What each kind of CRM can do with an erasure: JDBC statements, Salesforce fields to null. */
    private static void eraseProblems(String at, CrmSettings.Connector connector, List<String> problems) {
        CrmSettings.Erase erase = connector.erase();
        if (erase == null) {
            return;
        }
        switch (connector.kind()) {
            case "jdbc" -> {
                if (!erase.fields().isEmpty() || erase.deleteRecord()) {
                    problems.add(at + "erase: a JDBC CRM is erased by statements (UPDATEs or a DELETE with :externalId), not by fields or delete-record");
                }
                for (String statement : erase.statements()) {
                    if (!statement.contains(":externalId")) {
                        problems.add(at + "erase.statements: every statement must name the record with :externalId");
                    }
                }
            }
            case "salesforce" -> {
                if (!erase.statements().isEmpty() || erase.deleteRecord()) {
                    problems.add(at + "erase: a Salesforce record is erased by setting erase.fields to null (delete-record is not supported)");
                }
            }
            default -> {
                if (erase.configured()) {
                    problems.add(at + "erase: a " + connector.kind() + " CRM pushes to the hub; the hub cannot erase in it");
                }
            }
        }
    }

    /** The problem with the file (and line, where the key itself is set) in front. */
    private static String located(String problem, Map<ConfigurationPropertyName, String> declared) {
        String key = problem.split("[: ]", 2)[0];
        var name = ConfigurationPropertyName.adapt(key, '.');
        String exact = declared.get(name);
        if (exact != null && !exact.isEmpty()) {
            return exact + problem;
        }
        var connector = name.getNumberOfElements() > 3 ? name.chop(4) : name;
        return declared.entrySet().stream()
                .filter(e -> connector.isAncestorOf(e.getKey()) && !e.getValue().isEmpty())
                .map(e -> e.getValue().replaceAll(" - \\d+:\\d+: $", ": "))
                .findFirst().orElse("") + problem;
    }

    /** Why this connector key is not one the hub reads, or null if it is. */
    private String keyProblem(ConfigurationPropertyName name) {
        int base = ConfigurationPropertyName.of(PREFIX).getNumberOfElements();
        if (name.getNumberOfElements() <= base + 1) {
            return null;
        }
        String id = name.getElement(base, ConfigurationPropertyName.Form.ORIGINAL);
        String section = name.getElement(base + 1, ConfigurationPropertyName.Form.UNIFORM);
        CrmSettings.Connector connector = settings.connectors().get(id);
        String sectionKind = SECTION_KIND.get(section);
        if (connector != null && connector.kind() != null && sectionKind != null && !sectionKind.equals(connector.kind())) {
            return "'" + name.getElement(base + 1, ConfigurationPropertyName.Form.DASHED) + "' is read only by "
                    + sectionKind + " connectors; this one is " + connector.kind();
        }
        return unknownBelow(CrmSettings.Connector.class, name, base + 1);
    }

    /**
     * Walks the settings records along the key; returns what is wrong with it, or null. Names
     * compare in Spring's uniform form, so {@code email-opt-out}, {@code emailOptOut} and an
     * environment variable's {@code EMAILOPTOUT} are the same key, as they are when bound.
     */
    static String unknownBelow(Type type, ConfigurationPropertyName name, int from) {
        for (int i = from; i < name.getNumberOfElements(); i++) {
            String element = name.getElement(i, ConfigurationPropertyName.Form.UNIFORM);
            Class<?> raw = raw(type);
            if (raw.isRecord()) {
                RecordComponent component = Arrays.stream(raw.getRecordComponents())
                        .filter(c -> c.getName().toLowerCase(java.util.Locale.ROOT).equals(element)).findFirst().orElse(null);
                if (component == null) {
                    return "unknown key '" + name.getElement(i, ConfigurationPropertyName.Form.DASHED) + "'; known here: "
                            + Arrays.stream(raw.getRecordComponents()).map(c -> dashed(c.getName())).toList();
                }
                type = component.getGenericType();
            } else if (Map.class.isAssignableFrom(raw)) {
                type = ((ParameterizedType) type).getActualTypeArguments()[1];
                if (!raw(type).isRecord()) {
                    // A map of plain values: the rest of the key is the map's key, dots and all (address.city).
                    return null;
                }
            } else if (List.class.isAssignableFrom(raw)) {
                if (!name.isNumericIndex(i)) {
                    return "'" + name.getElement(i - 1, ConfigurationPropertyName.Form.DASHED) + "' is a list";
                }
                type = ((ParameterizedType) type).getActualTypeArguments()[0];
            } else {
                return "'" + name.getElement(i - 1, ConfigurationPropertyName.Form.DASHED) + "' is a single value; '"
                        + element + "' below it is not read";
            }
        }
        return null;
    }

    /** Every connector key in the environment, with where it was set (file and line). */
    private Map<ConfigurationPropertyName, String> declaredKeys() {
        var prefix = ConfigurationPropertyName.of(PREFIX);
        var keys = new LinkedHashMap<ConfigurationPropertyName, String>();
        for (var source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource iterable) {
                iterable.stream().filter(prefix::isAncestorOf).forEach(name -> keys.computeIfAbsent(name, n -> {
                    ConfigurationProperty property = source.getConfigurationProperty(n);
                    return property == null || property.getOrigin() == null ? "" : property.getOrigin() + ": ";
                }));
            }
        }
        return keys;
    }

    private static Class<?> raw(Type type) {
        return type instanceof ParameterizedType parameterized ? (Class<?>) parameterized.getRawType() : (Class<?>) type;
    }

    private static String dashed(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
