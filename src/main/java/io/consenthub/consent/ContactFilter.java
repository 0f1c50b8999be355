package io.consenthub.consent;

import java.util.List;
import java.util.Map;

/**
 * A list filter over contacts (DESIGN §1.1 "list filters and reports"): any of the given opt-in
 * statuses, every given purpose at the given value (defaults count for contacts who never
 * answered), optionally only contacts linked to one CRM connector, and optionally only contacts
 * whose sensitive fields' exposed characters match ({@code exposed}: field → the blind-index values
 * a search matches, one per index key; never the characters themselves).
 */
public record ContactFilter(List<String> optInStatuses, Map<String, ConsentValue> consents, String connectorId,
                            Map<String, List<String>> exposed, int page, int size) {

    public static final int MAX_PAGE_SIZE = 500;

    public ContactFilter {
        optInStatuses = optInStatuses == null ? List.of() : List.copyOf(optInStatuses);
        consents = consents == null ? Map.of() : Map.copyOf(consents);
        exposed = exposed == null ? Map.of() : Map.copyOf(exposed);
    }

    public ContactFilter(List<String> optInStatuses, Map<String, ConsentValue> consents, String connectorId, int page, int size) {
        this(optInStatuses, consents, connectorId, Map.of(), page, size);
    }
}
