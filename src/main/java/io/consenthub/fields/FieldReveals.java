package io.consenthub.fields;

import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.system.ApiKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Reveals a sensitive value in plaintext to an API key allowed to see it ({@link RevealRules}),
 * and logs every attempt, allowed or not, in the field access log in the same transaction, so no
 * value leaves without its log entry and no refusal goes unrecorded. A refusal is an answer, not
 * an exception: the transaction commits with the entry.
 */
@Service
public class FieldReveals {

    private static final Logger log = LoggerFactory.getLogger(FieldReveals.class);
    /** The key name and role a reveal to the contact themself is logged under. */
    public static final String SUBJECT = "CONTACT";

    private final SensitiveFields fields;
    private final ContactDirectory contacts;
    private final ApiKeys keys;
    private final FieldAccessLog accessLog;
    private final MeterRegistry meters;
    private final Clock clock;

    FieldReveals(SensitiveFields fields, ContactDirectory contacts, ApiKeys keys, FieldAccessLog accessLog, MeterRegistry meters,
                 Clock clock) {
        this.fields = fields;
        this.contacts = contacts;
        this.keys = keys;
        this.accessLog = accessLog;
        this.meters = meters;
        this.clock = clock;
    }

    /** Who asks: the API key's name and role, and the client's IP (logged encrypted). */
    public record Caller(String keyName, String role, String ip) {
    }

    /** The verdict, and the value when it was revealed. */
    public record Reveal(RevealRules.Verdict verdict, String value) {
    }

    @Transactional
    public Reveal reveal(ContactId contact, String field, String reason, Caller caller) {
        Set<String> permissions = keys.named(caller.keyName()).map(ApiKeys.Holder::reveal).orElse(Set.of());
        boolean known = contacts.exists(contact);
        boolean sensitive = fields.isSensitive(field);
        String value = known && sensitive && permissions.contains(field)
                ? contacts.get(contact).attributes().values().get(field) : null;
        RevealRules.Verdict verdict = known
                ? RevealRules.decide(field, sensitive, permissions, reason, value != null)
                : new RevealRules.Verdict(false, "no-such-contact", 404, "no contact with id " + contact);
        Instant now = clock.instant();
        accessLog.append(new FieldAccessLog.Attempt(now, caller.keyName(), caller.role(), contact, known, field,
                verdict.allowed() ? "REVEALED" : "REFUSED", verdict.rule(), reason, caller.ip()));
        Counter.builder("consent_hub_field_reveals")
                .description("Attempts to reveal a sensitive field, by API key, field and outcome")
                .tag("key", caller.keyName()).tag("field", sensitive ? field : "other").tag("outcome", verdict.rule())
                .register(meters).increment();
        log.info("Reveal of field {} of contact {} by key {}: {}", sensitive ? field : "(not sensitive)", contact, caller.keyName(),
                verdict.rule());
        return new Reveal(verdict, verdict.allowed() ? value : null);
    }

    /**
     * Every sensitive value the contact has, in plaintext, for the contact's own access export
     * after they confirmed the request from their mailbox. Each value revealed is logged like an
     * API reveal — by {@code CONTACT}, rule {@code access-export}, with the request as the reason —
     * so the field access log stays the one account of every plaintext that left the hub.
     */
    @Transactional
    public java.util.Map<String, String> revealToSubject(ContactId contact, String exportId, String ip) {
        Instant now = clock.instant();
        var revealed = new java.util.TreeMap<String, String>();
        contacts.get(contact).attributes().values().forEach((field, value) -> {
            if (fields.isSensitive(field)) {
                accessLog.append(new FieldAccessLog.Attempt(now, SUBJECT, SUBJECT, contact, true, field, "REVEALED",
                        "access-export", "access export " + exportId + " confirmed by the contact", ip));
                revealed.put(field, value);
            }
        });
        log.info("Access export {} of contact {} revealed {} sensitive field(s) to the contact", exportId, contact, revealed.size());
        return revealed;
    }

    @Transactional(readOnly = true)
    public List<FieldAccessLog.Entry> search(FieldAccessLog.Filter filter) {
        return accessLog.search(filter);
    }

    @Transactional(readOnly = true)
    public FieldAccessLog.VerifyResult verify() {
        return accessLog.verify();
    }
}
