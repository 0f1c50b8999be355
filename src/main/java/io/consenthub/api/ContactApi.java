package io.consenthub.api;

import io.consenthub.commands.ContactCommands;

import io.consenthub.consent.ConsentLedger;
import io.consenthub.consent.ConsentRecords;
import io.consenthub.consent.ConsentValue;
import io.consenthub.consent.ContactFilter;
import io.consenthub.consent.ContactQueries;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.fields.SensitiveFields;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.EmailAddress;
import io.consenthub.consent.optin.EmailOptIn;
import io.consenthub.consent.optin.EmailOptInStatus;
import io.consenthub.consent.optin.OptInAction;
import io.consenthub.consent.optin.OptInDecision;
import io.consenthub.preference.PreferenceLinks;
import io.consenthub.system.ApiResponse;
import io.consenthub.shared.InvalidInputException;
import io.consenthub.system.StrictJson;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The contact API as the routes in {@code routes/api/} call it: parses and checks the request,
 * runs one command or query, and answers with an {@link ApiResponse}.
 */
@Component("contactApi")
public class ContactApi {

    private static final String CONSENT_FILTER_PREFIX = "consent.";
    private static final String FIELD_FILTER_PREFIX = "field.";

    private final StrictJson json;
    private final ContactCommands commands;
    private final ContactDirectory contacts;
    private final ConsentRecords consents;
    private final ConsentLedger ledger;
    private final ContactQueries queries;
    private final EmailOptIn optIn;
    private final PreferenceLinks preferenceLinks;
    private final SensitiveFields sensitive;
    private final Clock clock;

    ContactApi(StrictJson json, ContactCommands commands, ContactDirectory contacts, ConsentRecords consents,
               ConsentLedger ledger, ContactQueries queries, EmailOptIn optIn, PreferenceLinks preferenceLinks,
               SensitiveFields sensitive, Clock clock) {
        this.sensitive = sensitive;
        this.preferenceLinks = preferenceLinks;
        this.json = json;
        this.commands = commands;
        this.contacts = contacts;
        this.consents = consents;
        this.ledger = ledger;
        this.queries = queries;
        this.optIn = optIn;
        this.clock = clock;
    }

    public ApiResponse create(Exchange exchange) {
        var request = json.read(ApiRequests.body(exchange), ContactRequests.NewContact.class);
        var valid = ContactValidation.validate(request);
        ContactId id = commands.create(valid, ApiRequests.evidence(exchange, clock, valid.note()));
        return ApiResponse.created(view(id, true));
    }

    public ApiResponse importContacts(Exchange exchange) {
        var request = json.read(ApiRequests.body(exchange), ContactRequests.Import.class);
        var rows = ContactValidation.validate(request.contacts());
        return ApiResponse.ok(commands.importAll(rows, ApiRequests.evidence(exchange, clock, "import")));
    }

    public ApiResponse get(Exchange exchange) {
        return ApiResponse.ok(view(id(exchange), true));
    }

    public ApiResponse history(Exchange exchange) {
        ContactId id = id(exchange);
        contacts.get(id);
        return ApiResponse.ok(ledger.history(id).stream().map(io.consenthub.consent.HistoryEntry::of).toList());
    }

    public ApiResponse patch(Exchange exchange) {
        ContactId id = id(exchange);
        var request = json.read(ApiRequests.body(exchange), ContactRequests.Patch.class);
        EmailAddress email = request.email() == null ? null : new EmailAddress(request.email());
        commands.patch(id, email, request.attributes(), ApiRequests.evidence(exchange, clock, request.note()));
        return ApiResponse.ok(view(id, true));
    }

    public ApiResponse optInAction(Exchange exchange) {
        ContactId id = id(exchange);
        var request = json.read(ApiRequests.body(exchange), ContactRequests.OptInActionBody.class);
        OptInAction action = parseEnum(OptInAction.class, request.action(), "action");
        OptInDecision decision = commands.optInAction(id, action, ApiRequests.evidence(exchange, clock, request.note()));
        var answer = new LinkedHashMap<String, Object>();
        answer.put("emailOptInStatus", optIn.status(id).name());
        answer.put("outcome", decision.outcome().name());
        answer.put("reason", decision.reason());
        return ApiResponse.ok(answer);
    }

    public ApiResponse answerConsent(Exchange exchange) {
        ContactId id = id(exchange);
        var request = json.read(ApiRequests.body(exchange), ContactRequests.ConsentAnswer.class);
        if (request.purpose() == null || request.granted() == null) {
            throw new InvalidInputException("'purpose' and 'granted' (true or false) are required");
        }
        commands.answer(id, request.purpose(), request.granted(), ApiRequests.evidence(exchange, clock, request.note()));
        return ApiResponse.ok(consents.block(id));
    }

    public ApiResponse search(Exchange exchange) {
        List<String> statuses = new ArrayList<>();
        String statusParam = ApiRequests.param(exchange, "optInStatus");
        if (statusParam != null) {
            for (String s : statusParam.split(",")) {
                statuses.add(parseEnum(EmailOptInStatus.class, s.trim(), "optInStatus").name());
            }
        }
        Map<String, ConsentValue> consentFilters = new LinkedHashMap<>();
        exchange.getMessage().getHeaders().forEach((name, value) -> {
            if (name.startsWith(CONSENT_FILTER_PREFIX) && value != null) {
                consentFilters.put(name.substring(CONSENT_FILTER_PREFIX.length()),
                        parseEnum(ConsentValue.class, value.toString().toUpperCase(Locale.ROOT), name));
            }
        });
        Map<String, List<String>> exposed = new LinkedHashMap<>();
        exchange.getMessage().getHeaders().forEach((name, value) -> {
            if (name.startsWith(FIELD_FILTER_PREFIX) && value != null) {
                String field = name.substring(FIELD_FILTER_PREFIX.length());
                exposed.put(field, sensitive.searchIndexes(field, value.toString()));
            }
        });
        int page = ApiRequests.intParam(exchange, "page", 0, 0, 1_000_000);
        int size = ApiRequests.intParam(exchange, "size", 50, 1, ContactFilter.MAX_PAGE_SIZE);
        var filter = new ContactFilter(statuses, consentFilters, ApiRequests.param(exchange, "connector"), exposed, page, size);
        var result = queries.find(filter);
        var items = contacts.getAll(result.ids()).stream()
                .map(c -> ContactView.of(c, sensitive, consents.block(c.id()), null)).toList();
        var answer = new LinkedHashMap<String, Object>();
        answer.put("page", page);
        answer.put("size", size);
        answer.put("total", result.total());
        answer.put("items", items);
        return ApiResponse.ok(answer);
    }

    public ApiResponse unlock(Exchange exchange) {
        ContactId id = id(exchange);
        var request = json.read(ApiRequests.body(exchange), ContactRequests.OptInActionBody.class);
        boolean changed = commands.unlock(id, ApiRequests.evidence(exchange, clock, request.note()));
        return ApiResponse.ok(Map.of("unlocked", changed, "consents", consents.block(id)));
    }

    public ApiResponse issuePreferenceLink(Exchange exchange) {
        return ApiResponse.created(preferenceLinks.issue(id(exchange)));
    }

    public ApiResponse revokePreferenceLinks(Exchange exchange) {
        return ApiResponse.ok(Map.of("revoked", preferenceLinks.revokeAll(id(exchange))));
    }

    public ApiResponse report(Exchange exchange) {
        return ApiResponse.ok(queries.report());
    }

    private ContactView view(ContactId id, boolean withHistory) {
        return ContactView.of(contacts.get(id), sensitive, consents.block(id), withHistory ? ledger.history(id) : null);
    }

    private static ContactId id(Exchange exchange) {
        return ContactId.parse(ApiRequests.param(exchange, "id"));
    }

    static <E extends Enum<E>> E parseEnum(Class<E> type, String value, String field) {
        if (value == null) {
            throw new InvalidInputException("'" + field + "' is required; one of " + Arrays.toString(type.getEnumConstants()));
        }
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("'" + field + "' has value '" + value + "'; expected one of "
                    + Arrays.toString(type.getEnumConstants()));
        }
    }
}
