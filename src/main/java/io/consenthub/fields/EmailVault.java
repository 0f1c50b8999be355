package io.consenthub.fields;

import io.consenthub.contact.ContactId;
import io.consenthub.contact.EmailAddress;
import io.consenthub.contact.EmailProtection;
import io.consenthub.crypto.ContactKeys;
import io.consenthub.crypto.IndexKey;
import io.consenthub.crypto.KeyRing;
import io.consenthub.shared.InvalidInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The primary email at rest. Plain by default. When {@code consent-hub.fields.email.sensitive} is
 * on: Tink AEAD under the contact's data key with the contact id and {@code email} as associated
 * data (a ciphertext copied to another contact does not open), and as {@code email_key} the keyed
 * MAC ({@link IndexKey}, its own domain) of the normalised address, which is what makes one person
 * arriving from two CRMs, or spelt with other capitals, one contact. Lookups match the MAC under
 * every index key, so a rotation of the index key never splits a person in two.
 */
@Component
class EmailVault implements EmailProtection {

    private static final Logger log = LoggerFactory.getLogger(EmailVault.class);
    static final String CONTEXT = "email";
    static final String DOMAIN = "primary-email/";
    static final String SUPPRESSION_DOMAIN = "suppressed-email/";

    private final boolean sealed;
    private final ContactKeys keys;
    private final IndexKey index;

    EmailVault(FieldSettings settings, ContactKeys keys, IndexKey index) {
        this.sealed = settings.email().sensitive();
        this.keys = keys;
        this.index = index;
    }

    @Override
    public boolean sealed() {
        return sealed;
    }

    @Override
    public String index(String key) {
        return sealed ? index.mac(DOMAIN, key) : key;
    }

    @Override
    public List<String> lookups(String key) {
        if (!sealed) {
            return List.of(key);
        }
        // The plain form too: a row stored before the switch, which the start-up conversion has not
        // reached yet (or a member still converting), holds it. It is only ever a query parameter.
        var all = new ArrayList<>(index.candidates(DOMAIN, key));
        all.add(key);
        return all;
    }

    @Override
    public List<String> suppressionMacs(String key) {
        return index.candidates(SUPPRESSION_DOMAIN, key);
    }

    @Override
    public Map<ContactId, String> seal(Map<ContactId, EmailAddress> emails) {
        var stored = new HashMap<ContactId, String>();
        if (!sealed) {
            emails.forEach((id, email) -> stored.put(id, email.value()));
            return stored;
        }
        KeyRing ring = keys.forWriting(emails.keySet());
        emails.forEach((id, email) -> {
            String ciphertext = ring.seal(id, CONTEXT, email.value());
            if (ciphertext == null) {
                log.info("Did not change the email of contact {}: its key was destroyed (erased)", id);
            } else {
                stored.put(id, ciphertext);
            }
        });
        return stored;
    }

    @Override
    public Map<ContactId, EmailAddress> open(Map<ContactId, String> stored) {
        var opened = new HashMap<ContactId, EmailAddress>();
        var sealedOnes = new HashMap<ContactId, String>();
        stored.forEach((id, value) -> {
            if (isPlain(value)) {
                // written before the email was declared sensitive; the start-up conversion seals it
                put(opened, id, value);
            } else {
                sealedOnes.put(id, value);
            }
        });
        if (sealedOnes.isEmpty()) {
            return opened;
        }
        KeyRing ring = keys.forReading(sealedOnes.keySet());
        KeyRing fresh = null;
        for (var e : sealedOnes.entrySet()) {
            Optional<String> value = ring.open(e.getKey(), CONTEXT, e.getValue());
            if (value.isEmpty() && !ring.destroyed(e.getKey())) {
                // a cached key can be older than the value (its data key was rotated on another member)
                if (fresh == null) {
                    fresh = keys.forReadingUncached(sealedOnes.keySet());
                }
                value = fresh.open(e.getKey(), CONTEXT, e.getValue());
                if (value.isEmpty()) {
                    log.warn("The email of contact {} does not open with its key (the row was moved or altered)", e.getKey());
                }
            }
            value.ifPresent(v -> put(opened, e.getKey(), v));
        }
        return opened;
    }

    /** Adds an address as stored; one that no longer parses is left out (named by contact id only). */
    private static void put(Map<ContactId, EmailAddress> opened, ContactId id, String value) {
        try {
            opened.put(id, new EmailAddress(value));
        } catch (InvalidInputException e) {
            log.warn("The stored email of contact {} is not a valid address", id);
        }
    }

    /** Ciphertext is base64 and a MAC is hex: only a plain address has an '@'. */
    static boolean isPlain(String stored) {
        return stored.indexOf('@') >= 0;
    }
}
