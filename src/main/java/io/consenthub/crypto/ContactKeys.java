package io.consenthub.crypto;

import com.google.crypto.tink.Aead;
import io.consenthub.contact.ContactId;
import io.consenthub.shared.SqlArrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Per-contact data keys (Tink AEAD, AES256-GCM) in {@code contact_key}, each wrapped by the
 * {@link KeyEncryptionKey}. A key is created on first need; two transactions creating the same
 * contact's key at once both end up with the one that was inserted first. {@link #destroy}
 * crypto-shreds a contact: the wrapped key is deleted, so everything encrypted under it becomes
 * unreadable everywhere at once, backups of the evidence included, without touching those rows.
 *
 * <p>Unwrapped keys are cached (LRU, bounded by {@code consent-hub.crypto.key-cache-size}), but
 * only once the transaction that read or created them has committed, so a key of a rolled-back
 * transaction can never be used for new ciphertext.
 */
@Component
public class ContactKeys {

    private static final Logger log = LoggerFactory.getLogger(ContactKeys.class);

    private final JdbcClient jdbc;
    private final KeyEncryptionKey kek;
    private final Clock clock;
    private final Map<ContactId, Aead> cache;
    /** Contacts whose key this member destroyed since it started: never cached again. */
    private final Set<ContactId> destroyedHere = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @org.springframework.beans.factory.annotation.Autowired
    ContactKeys(ContactKeyStore store, KeyEncryptionKey kek, Clock clock, CryptoSettings settings) {
        this(store.jdbc(), kek, clock, settings);
    }

    ContactKeys(JdbcClient jdbc, KeyEncryptionKey kek, Clock clock, CryptoSettings settings) {
        this.jdbc = jdbc;
        this.kek = kek;
        this.clock = clock;
        int max = Math.max(0, settings.keyCacheSize());
        this.cache = java.util.Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ContactId, Aead> eldest) {
                return size() > max;
            }
        });
    }

    public String encrypt(ContactId contact, String context, String plaintext) {
        return forWriting(Set.of(contact)).seal(contact, context, plaintext);
    }

    /** The plaintext; empty when the key was destroyed (or never existed) or the ciphertext does not open here. */
    public Optional<String> decrypt(ContactId contact, String context, String ciphertext) {
        return forReading(Set.of(contact)).open(contact, context, ciphertext);
    }

    /** The keys of these contacts, creating the missing ones (except for destroyed keys). */
    public KeyRing forWriting(Collection<ContactId> contacts) {
        return ring(contacts, true);
    }

    /** The keys these contacts have; creates none. */
    public KeyRing forReading(Collection<ContactId> contacts) {
        return ring(contacts, false);
    }

    /**
     * The keys these contacts have, read from the database rather than the cache: for a value
     * that did not open with a cached key, which can be older than the value when another member
     * rotated the contact's data key.
     */
    public KeyRing forReadingUncached(Collection<ContactId> contacts) {
        contacts.forEach(cache::remove);
        return ring(contacts, false);
    }

    /** Contacts with a live key after {@code after} (null: from the start), in id order: the pages a rotation walks. */
    public List<ContactId> keyedAfter(ContactId after, int limit) {
        return jdbc.sql("select contact_id from contact_key where wrapped_key is not null and contact_id > ? order by contact_id fetch first "
                        + Math.max(1, limit) + " rows only")
                .param(after == null ? new UUID(0L, 0L) : after.value())
                .query((rs, n) -> new ContactId(rs.getObject(1, UUID.class)))
                .list();
    }

    /** How many live keys exist, and how many of them are wrapped by another KEK key than the primary. */
    public KeyCounts counts() {
        return jdbc.sql("select count(*), coalesce(sum(case when kek_id is null or kek_id <> ? then 1 else 0 end), 0) "
                        + "from contact_key where wrapped_key is not null")
                .param(kek.primaryId())
                .query((rs, n) -> new KeyCounts(rs.getLong(1), rs.getLong(2)))
                .single();
    }

    /** Live contact keys in all, and how many still await re-wrapping by the KEK's primary key. */
    public record KeyCounts(long live, long wrappedByOldKek) {
    }

    /**
     * Wraps the contact's data key again with the KEK's primary key, unless it already is: a KEK
     * rotation, which re-encrypts no value. Returns whether it re-wrapped.
     */
    public boolean rewrap(ContactId contact) {
        return jdbc.sql("select wrapped_key, kek_id from contact_key where contact_id = ? and wrapped_key is not null for update")
                .param(contact.value())
                .query((rs, n) -> {
                    long kekId = rs.getLong(2);
                    boolean current = !rs.wasNull() && kekId == kek.primaryId();
                    return current ? false : update(contact, rs.getString(1), kek.rewrap(contact, rs.getString(1)), 0);
                })
                .optional()
                .orElse(false);
    }

    /**
     * Adds a new primary data key to the contact's keyset (a data-key rotation): what is sealed
     * from now on uses it, everything sealed before still opens. The caller re-seals the values it
     * wants under the new key, in the same transaction. Returns false for a destroyed or missing key.
     */
    public boolean addDataKey(ContactId contact) {
        return jdbc.sql("select wrapped_key from contact_key where contact_id = ? and wrapped_key is not null for update")
                .param(contact.value())
                .query((rs, n) -> update(contact, rs.getString(1), kek.withNewDataKey(contact, rs.getString(1)), 1))
                .optional()
                .orElse(false);
    }

    /**
     * Replaces the wrapped key only if it is still the one read ({@code read}): a key destroyed
     * (erased) in between, or rotated by someone else, is left as it is. The key store may commit
     * each statement on its own, so the row lock of the read alone would not guard this.
     */
    private boolean update(ContactId contact, String read, String wrapped, int addedKeys) {
        int updated = jdbc.sql("update contact_key set wrapped_key = ?, kek_id = ?, data_key_version = data_key_version + ?"
                        + " where contact_id = ? and wrapped_key = ?")
                .params(wrapped, kek.primaryId(), addedKeys, contact.value(), read)
                .update();
        cache.remove(contact);
        afterCommit(() -> cache.remove(contact));
        return updated == 1;
    }

    /**
     * Crypto-shreds the contact: deletes its wrapped key and leaves a tombstone, so no new key is
     * created for it later and its evidence reads as erased. Idempotent.
     */
    public void destroy(ContactId contact) {
        OffsetDateTime now = OffsetDateTime.now(clock.withZone(ZoneOffset.UTC));
        int updated = jdbc.sql("update contact_key set wrapped_key = null, destroyed_at = coalesce(destroyed_at, ?) where contact_id = ?")
                .params(now, contact.value()).update();
        if (updated == 0) {
            jdbc.sql("insert into contact_key (contact_id, wrapped_key, created_at, destroyed_at) values (?, null, ?, ?) on conflict do nothing")
                    .params(contact.value(), now, now).update();
            jdbc.sql("update contact_key set wrapped_key = null, destroyed_at = coalesce(destroyed_at, ?) where contact_id = ?")
                    .params(now, contact.value()).update();
        }
        destroyedHere.add(contact);
        cache.remove(contact);
        afterCommit(() -> cache.remove(contact));
        log.info("Destroyed the evidence key of contact {}", contact);
    }

    private KeyRing ring(Collection<ContactId> contacts, boolean create) {
        var keys = new HashMap<ContactId, Aead>();
        var wanted = new LinkedHashSet<ContactId>();
        for (ContactId c : contacts) {
            Aead cached = cache.get(c);
            if (cached != null) {
                keys.put(c, cached);
            } else {
                wanted.add(c);
            }
        }
        var destroyed = new HashSet<ContactId>();
        var loaded = new HashMap<ContactId, Aead>();
        load(wanted, loaded, destroyed);
        if (create) {
            var missing = new LinkedHashSet<>(wanted);
            missing.removeAll(loaded.keySet());
            missing.removeAll(destroyed);
            if (!missing.isEmpty()) {
                insert(missing);
                load(missing, loaded, destroyed);
            }
        }
        keys.putAll(loaded);
        afterCommit(() -> loaded.forEach((c, k) -> {
            // a reader that loaded the key before this member destroyed it must not cache it after
            if (!destroyed.contains(c) && !destroyedHere.contains(c)) {
                cache.put(c, k);
            }
        }));
        return new KeyRing(keys, destroyed);
    }

    private void load(Set<ContactId> contacts, Map<ContactId, Aead> into, Set<ContactId> destroyed) {
        for (var part : SqlArrays.parts(contacts.stream().map(c -> c.value().toString()).toList())) {
            jdbc.sql("select ck.contact_id, ck.wrapped_key from contact_key ck join " + SqlArrays.KEYS
                            + " on ck.contact_id = cast(k.v as uuid)")
                    .param(part.toArray(String[]::new))
                    .query(rs -> {
                        var id = new ContactId(rs.getObject(1, UUID.class));
                        String wrapped = rs.getString(2);
                        if (wrapped == null) {
                            destroyed.add(id);
                        } else {
                            into.put(id, kek.open(id, wrapped));
                        }
                    });
        }
    }

    /** Inserts new keys; a key another transaction inserted first is kept (the conflict is skipped). */
    private void insert(Set<ContactId> contacts) {
        OffsetDateTime now = OffsetDateTime.now(clock.withZone(ZoneOffset.UTC));
        for (var part : SqlArrays.parts(contacts)) {
            String[] ids = part.stream().map(c -> c.value().toString()).toArray(String[]::new);
            String[] wrapped = part.stream().map(kek::newWrappedKey).toArray(String[]::new);
            jdbc.sql("""
                    insert into contact_key (contact_id, wrapped_key, created_at, kek_id)
                    select cast(t.id as uuid), t.w, cast(? as timestamp with time zone), cast(? as bigint) from unnest(cast(? as varchar array), cast(? as varchar array)) t(id, w)
                    on conflict do nothing""")
                    .params(SqlArrays.timestamp(now.toInstant()), kek.primaryId(), ids, wrapped)
                    .update();
        }
    }

    private static void afterCommit(Runnable action) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    action.run();
                }
            });
        } else {
            action.run();
        }
    }
}
