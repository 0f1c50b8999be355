package io.consenthub.crm;

import io.consenthub.crypto.IndexKey;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The hashes the hub stores to recognise CRM records and values it has seen, keyed by the index
 * keyset. A bare hash of a national ID or card number is reversed by hashing every candidate; a
 * keyed one is not without the key, which is not in the database. Each keyed hash is a function of
 * the bare digest ({@link RowHash}, or a value's SHA-256 prefix), so a database of bare hashes is
 * converted in place ({@link CrmHashMigration}) without re-reading any CRM.
 *
 * <p>Value hashes carry the index key's id ({@code <id>:<hex>}): after the index key was rotated,
 * a value hash of the old key is read as unknown (no conflict is claimed from it) and replaced at
 * the record's next change. Row hashes (64 hex digits, the column's shape) do not: a record is
 * read as changed once after a rotation, and applying an unchanged record changes nothing.
 */
@Component
public class CrmHashes {

    private static final String ROW = "crm-row";
    private static final String VALUE = "crm-value";

    private final IndexKey key;

    CrmHashes(IndexKey key) {
        this.key = key;
    }

    /** The stored form of a row's content hash ({@link CrmRow#rowHash()}); null stays null. */
    public String row(String bareRowHash) {
        return bareRowHash == null ? null : key.digest(ROW, bareRowHash.getBytes(StandardCharsets.US_ASCII));
    }

    /** The stored hash of each non-null value, by attribute name. */
    public Map<String, String> values(Map<String, String> attributes) {
        var hashes = new TreeMap<String, String>();
        attributes.forEach((name, value) -> {
            if (value != null) {
                hashes.put(name, value(value));
            }
        });
        return hashes;
    }

    /** The stored hash of one value. */
    public String value(String value) {
        return keyedValue(bareValue(value));
    }

    /** Whether a stored value hash was made with the current index key (else it tells nothing). */
    boolean current(String storedValueHash) {
        return key.current(storedValueHash);
    }

    String keyedValue(String bareValueHash) {
        return key.mac(VALUE, bareValueHash);
    }

    /** The bare hash earlier versions stored: the first 8 bytes of the value's SHA-256, in hex. */
    static String bareValue(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
