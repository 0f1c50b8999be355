package io.consenthub.contact;

import java.util.List;
import java.util.Map;

/**
 * How the primary email is kept at rest, as the contact store needs it. By default the address is
 * stored as given and matched on its normalised form ({@link EmailAddress#key()}). When the email
 * is declared sensitive ({@code consent-hub.fields.email.sensitive}), {@code primary_email} holds
 * AEAD ciphertext under the contact's data key and {@code email_key} a keyed blind index (MAC) of
 * the normalised form, so people are still matched, merged and deduplicated across CRMs without
 * the database holding the address. Implemented by the {@code fields} module; the contact module
 * knows no keys.
 */
public interface EmailProtection {

    /** Whether the primary email is stored encrypted. */
    boolean sealed();

    /** What {@code email_key} holds for an address's normalised form (its {@link EmailAddress#key()}). */
    String index(String key);

    /**
     * Every {@code email_key} value an address's normalised form may be stored as: one per index key
     * during a rotation (the primary's first), and the plain form, which rows written before the
     * email was declared sensitive hold until the start-up conversion reaches them. A lookup matches any of them.
     */
    List<String> lookups(String key);

    /**
     * The keyed MACs an erased person's address is remembered by on the suppression list, one per
     * index key (the primary's first), whether or not the email is sensitive: the list must never
     * hold the address itself.
     */
    List<String> suppressionMacs(String key);

    /**
     * The stored form of these addresses, by contact. A contact whose key was destroyed (erased)
     * has none: it is left out, and its row is not changed.
     */
    Map<ContactId, String> seal(Map<ContactId, EmailAddress> emails);

    /**
     * The addresses these stored forms open to, by contact; one that does not open (key destroyed,
     * row altered) is left out.
     */
    Map<ContactId, EmailAddress> open(Map<ContactId, String> stored);
}
