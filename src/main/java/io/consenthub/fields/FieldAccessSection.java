package io.consenthub.fields;

import io.consenthub.contact.ContactDataSection;
import io.consenthub.contact.ContactId;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who saw the contact's sensitive fields: every reveal and refused attempt of the field access log
 * (API key, role, field, outcome, reason, when), newest first, as the access export shows it. The
 * log is an audit trail and stays after erasure (its sealed reasons and IPs become unreadable).
 */
@Component
class FieldAccessSection implements ContactDataSection {

    /** Far more than any contact's reveals; the export is a document, not a page. */
    private static final int MAX_ENTRIES = 10_000;

    private final FieldAccessLog log;

    FieldAccessSection(FieldAccessLog log) {
        this.log = log;
    }

    @Override
    public String name() {
        return "field-access";
    }

    @Override
    public Object export(ContactId contact) {
        return log.search(new FieldAccessLog.Filter(contact, null, null, null, null, null, MAX_ENTRIES)).stream().map(entry -> {
            var row = new LinkedHashMap<String, Object>();
            row.put("occurredAt", entry.occurredAt());
            row.put("keyName", entry.keyName());
            row.put("role", entry.role());
            row.put("field", entry.field());
            row.put("outcome", entry.outcome());
            row.put("rule", entry.rule());
            row.put("reason", entry.reason());
            return (Map<String, Object>) row;
        }).toList();
    }
}
