package io.consenthub.consent;

import io.consenthub.shared.InvalidInputException;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The consent purposes this deployment offers. Checked once at start-up so a typo in
 * {@code consents.yaml} stops the hub with a message instead of surfacing later on a contact's page.
 */
@Component
public class PurposeCatalog {

    /** Ledger subject under which the Email Opt-In Status is recorded. */
    public static final String EMAIL_OPT_IN_SUBJECT = "email-opt-in";

    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{0,63}");

    private final Map<String, Purpose> purposes;

    PurposeCatalog(ConsentSettings settings) {
        this.purposes = validate(settings.consents());
    }

    public Collection<Purpose> all() {
        return purposes.values();
    }

    public Optional<Purpose> find(String id) {
        return Optional.ofNullable(purposes.get(id));
    }

    /** Looks up a purpose named by a caller; an unknown one is their mistake and says which exist. */
    public Purpose require(String id) {
        return find(id).orElseThrow(() -> new InvalidInputException(
                "unknown consent purpose '" + id + "'; known purposes: " + String.join(", ", purposes.keySet())));
    }

    public Optional<Purpose> ofKind(PurposeKind kind) {
        return purposes.values().stream().filter(p -> p.kind() == kind).findFirst();
    }

    private static Map<String, Purpose> validate(List<Purpose> declared) {
        var problems = new ArrayList<String>();
        var byId = new LinkedHashMap<String, Purpose>();
        var parser = new SpelExpressionParser();
        for (Purpose p : declared) {
            String where = "consent '" + p.id() + "'";
            if (p.id() == null || !ID.matcher(p.id()).matches()) {
                problems.add(where + ": id must be lower-case letters, digits and '-', starting with a letter");
            } else if (EMAIL_OPT_IN_SUBJECT.equals(p.id())) {
                problems.add(where + ": the id is reserved for the Email Opt-In Status");
            } else if (byId.putIfAbsent(p.id(), p) != null) {
                problems.add(where + ": declared twice");
            }
            if (p.kind() == null) {
                problems.add(where + ": kind is required (email-list, field-storage, tracking, custom, stop-processing, erasure)");
            }
            if (!p.labels().containsKey("en")) {
                problems.add(where + ": an English label (labels.en) is required");
            }
            if (p.kind() == PurposeKind.FIELD_STORAGE && (p.field() == null || p.field().isBlank())) {
                problems.add(where + ": a field-storage consent must name the field it covers (field: ...)");
            }
            if (p.condition() != null && !p.condition().isBlank()) {
                try {
                    parser.parseExpression(p.condition());
                } catch (ParseException e) {
                    problems.add(where + ": condition '" + p.condition() + "' does not parse: " + e.getSimpleMessage());
                }
            }
        }
        for (PurposeKind single : List.of(PurposeKind.STOP_PROCESSING, PurposeKind.ERASURE, PurposeKind.TRACKING)) {
            if (declared.stream().filter(p -> p.kind() == single).count() > 1) {
                problems.add("only one consent of kind " + single.name().toLowerCase().replace('_', '-') + " may be declared");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("config/consents.yaml is invalid:\n  - " + String.join("\n  - ", problems));
        }
        return Collections.unmodifiableMap(byId);
    }
}
