package io.consenthub.partner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.consenthub.consent.ContactState;
import io.consenthub.contact.Contact;
import io.consenthub.contact.ContactLanguages;
import io.consenthub.decision.Act;
import io.consenthub.decision.ConsentDecisions;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a partner receives, and only that: the partner's allowed attributes, less every attribute
 * the decision service does not allow the hub to hold now (a sensitive field whose storage consent
 * was withdrawn); sensitive ones only where the partner's config allows them explicitly. The JSON
 * follows the Standard Webhooks payload shape ({@code type}, {@code timestamp}, {@code data}).
 */
@Component
class PartnerPayloads {

    static final String EMAIL = "email";
    static final String LANGUAGE = ContactLanguages.ATTRIBUTE;

    private final ConsentDecisions decisions;
    private final ContactLanguages languages;
    private final ObjectMapper json;

    PartnerPayloads(ConsentDecisions decisions, ContactLanguages languages, ObjectMapper json) {
        this.decisions = decisions;
        this.languages = languages;
        this.json = json;
    }

    /** The attributes of this contact the partner may be given now, by name (never a value the hub may not hold). */
    Map<String, String> attributesFor(PartnerSettings.Partner partner, Contact contact, ContactState state) {
        var shared = new LinkedHashMap<String, String>();
        for (String field : partner.attributes()) {
            if (!decisions.decide(state, new Act.StoreField(field)).allowed()) {
                continue;
            }
            String value = switch (field) {
                case EMAIL -> contact.primaryEmail().value();
                case LANGUAGE -> contact.attributes().values().getOrDefault(LANGUAGE, languages.of(contact).toLanguageTag());
                default -> contact.attributes().values().get(field);
            };
            if (value != null) {
                shared.put(field, value);
            }
        }
        return shared;
    }

    /** A share: the contact's allowed attributes, and which consent allowed it (purpose and ledger event). */
    String share(String shareId, String partnerId, Contact contact, Map<String, String> attributes, String purpose,
                 Long authorizedBySeq, Instant now) {
        var authorized = new LinkedHashMap<String, Object>();
        authorized.put("purpose", purpose);
        authorized.put("consentEventSeq", authorizedBySeq);
        var data = new LinkedHashMap<String, Object>();
        data.put("shareId", shareId);
        data.put("partner", partnerId);
        data.put("contactId", contact.id().value().toString());
        data.put("authorizedBy", authorized);
        data.put("attributes", attributes);
        return envelope("contact.shared", now, data);
    }

    /** A revocation notice: which contact, why (the decision's rule), since when; never personal data. */
    String notice(String noticeId, String partnerId, String contactId, String rule, List<String> shareIds, Instant revokedAt,
                  Instant now) {
        var data = new LinkedHashMap<String, Object>();
        data.put("noticeId", noticeId);
        data.put("partner", partnerId);
        data.put("contactId", contactId);
        data.put("reason", rule);
        data.put("revokedAt", revokedAt.toString());
        data.put("shareIds", shareIds);
        return envelope("consent.revoked", now, data);
    }

    private String envelope(String type, Instant now, Map<String, Object> data) {
        var envelope = new LinkedHashMap<String, Object>();
        envelope.put("type", type);
        envelope.put("timestamp", now.toString());
        envelope.put("data", data);
        return write(envelope);
    }

    String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a partner payload could not be written", e);
        }
    }

    <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored partner message could not be read", e);
        }
    }
}
