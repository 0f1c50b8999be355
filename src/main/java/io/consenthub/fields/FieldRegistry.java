package io.consenthub.fields;

import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.system.ApiKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Remembers, in the database, every field that was ever encrypted, and refuses at start-up a
 * configuration that would leave such values unreadable or start writing them in plaintext: a
 * field removed from {@code config/fields.yaml}, or set to {@code encrypted: false}, and a primary
 * email once stored encrypted that config would store plain again. It also
 * refuses API keys that may reveal a field that is not sensitive (a typo would otherwise grant
 * nothing, silently). Every problem is listed at once.
 *
 * <p>Once started, values of newly declared fields still held in plaintext (written before the
 * declaration), and primary emails when the email was just declared sensitive, are sealed, in batches, each batch its own transaction, so a restart in the middle
 * goes on where it stopped.
 */
@Component
class FieldRegistry {

    private static final Logger log = LoggerFactory.getLogger(FieldRegistry.class);
    private static final int BATCH = 500;
    /** The registry's entry for the primary email: no attribute name starts with '@'. */
    static final String EMAIL = "@primary-email";

    private final SensitiveFields fields;
    private final EmailVault email;
    private final ContactDirectory contacts;
    private final TransactionTemplate tx;

    FieldRegistry(SensitiveFields fields, EmailVault email, ApiKeys keys, JdbcClient jdbc, ContactDirectory contacts,
                  TransactionTemplate tx, Clock clock) {
        this.fields = fields;
        this.email = email;
        this.contacts = contacts;
        this.tx = tx;
        Set<String> ever = new HashSet<>(jdbc.sql("select field from sensitive_field_registry").query(String.class).list());
        boolean emailEver = ever.remove(EMAIL);
        List<String> problems = problems(ever, fields.names(), fields.declaredNotEncrypted());
        emailProblem(emailEver, email.sealed()).ifPresent(problems::add);
        for (ApiKeys.Holder key : keys.all()) {
            for (String field : key.reveal()) {
                if (!fields.isSensitive(field)) {
                    problems.add("API key '" + key.name() + "' may reveal '" + field
                            + "', which is not a sensitive field of config/fields.yaml (reveal names sensitive fields)");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Sensitive fields: the configuration is refused:\n  - " + String.join("\n  - ", problems));
        }
        OffsetDateTime now = OffsetDateTime.now(clock.withZone(ZoneOffset.UTC));
        var recorded = new java.util.TreeSet<>(fields.names());
        recorded.removeAll(ever);
        if (email.sealed() && !emailEver) {
            recorded.add(EMAIL);
        }
        for (String field : recorded) {
            jdbc.sql("insert into sensitive_field_registry (field, first_encrypted_at) values (?, ?) on conflict do nothing")
                    .params(field, now).update();
        }
    }

    /** The refusal of a primary email once stored encrypted that config now stores plain (pure, tested case by case). */
    static java.util.Optional<String> emailProblem(boolean everEncrypted, boolean encrypted) {
        return everEncrypted && !encrypted
                ? java.util.Optional.of("the primary email has been stored encrypted since consent-hub.fields.email.sensitive"
                        + " was turned on: turning it off would leave every address unreadable to the hub and match people"
                        + " on nothing; put 'sensitive: true' back")
                : java.util.Optional.empty();
    }

    /** The refusals for fields once encrypted that config no longer encrypts (pure, so it is tested case by case). */
    static List<String> problems(Set<String> everEncrypted, Set<String> encrypted, Set<String> declaredOff) {
        var problems = new ArrayList<String>();
        for (String field : new java.util.TreeSet<>(everEncrypted)) {
            if (declaredOff.contains(field)) {
                problems.add("'" + field + "' has been encrypted since it was first declared: turning its encryption off"
                        + " (encrypted: false) would leave its values unreadable to the hub and write new ones in plaintext");
            } else if (!encrypted.contains(field)) {
                problems.add("'" + field + "' has been encrypted since it was first declared and is no longer in"
                        + " config/fields.yaml: put it back (its values exist encrypted); erase them first to retire the field");
            }
        }
        return problems;
    }

    /**
     * Seals the primary emails stored in plain form before the email was declared sensitive, in
     * batches, each its own transaction, so a restart goes on with what is left; lookups match the
     * plain form as well, so a contact not yet converted is still found.
     */
    @EventListener(ApplicationStartedEvent.class)
    void sealPlaintextEmails() {
        if (!email.sealed()) {
            return;
        }
        long total = inBatches(contacts::sealPlaintextEmails);
        if (total > 0) {
            log.info("Sealed the primary emails of {} contacts, stored before the email was declared sensitive", total);
        }
    }

    @EventListener(ApplicationStartedEvent.class)
    void sealPlaintextValues() {
        if (fields.names().isEmpty()) {
            return;
        }
        long total = inBatches((after, limit) -> contacts.sealPlaintextSensitive(fields.names(), after, limit));
        if (total > 0) {
            log.info("Sealed the plaintext sensitive values of {} contacts, stored before their fields were declared sensitive", total);
        }
    }

    /** Runs {@code pass} batch after batch, each in its own transaction, until it finds nothing left; the contacts sealed. */
    private long inBatches(java.util.function.BiFunction<ContactId, Integer, ContactDirectory.SealPass> pass) {
        long total = 0;
        ContactId after = null;
        while (true) {
            var cursor = after;
            ContactDirectory.SealPass done = tx.execute(status -> pass.apply(cursor, BATCH));
            if (done == null || done.last() == null) {
                return total;
            }
            total += done.sealed();
            after = done.last();
        }
    }
}
