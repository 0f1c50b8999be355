package io.consenthub.crm;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The content hash of one CRM record as read (every field name and value, in name order, nulls
 * distinct from any text), so a connector recognises a re-read record that did not change.
 */
public final class RowHash {

    private RowHash() {
    }

    public static String of(Map<String, ?> values) {
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            new TreeMap<>(values).forEach((name, value) -> {
                digest.update(name.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(value == null ? new byte[] {1} : ("v" + value).getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            });
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
