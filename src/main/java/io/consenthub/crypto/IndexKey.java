package io.consenthub.crypto;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.prf.PredefinedPrfParameters;
import com.google.crypto.tink.prf.Prf;
import com.google.crypto.tink.prf.PrfConfig;
import com.google.crypto.tink.prf.PrfSet;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The index keyset (Tink PRF, HMAC-SHA256): the key of every MAC the hub stores in place of a
 * value — blind indexes of sensitive fields (lookup by exact value or by the exposed characters)
 * and the CRM change-detection hashes. A bare hash of a national ID or a card number is reversed
 * by trying every candidate in seconds; a MAC is not, without this key, which never lives in the
 * database.
 *
 * <p>A MAC is written as {@code <key id>:<hex>} (the id unsigned, as Tink writes it), so after a rotation (a new primary key added to
 * the keyset) the hub knows which stored MACs are of the old key: lookups try every key in the
 * keyset ({@link #candidates}), the rotation job recomputes the rest. Each use passes its own
 * {@code domain}, so a MAC of one kind never matches a MAC of another.
 */
@Component
public class IndexKey {

    private static final int MAC_BYTES = 16;

    static {
        try {
            PrfConfig.register();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Tink PRF could not be registered", e);
        }
    }

    private final int primaryId;
    private final Prf primary;
    private final Map<Integer, Prf> all;

    @org.springframework.beans.factory.annotation.Autowired
    IndexKey(CryptoSettings settings) {
        this(Keysets.load(source(settings)));
    }

    IndexKey(KeysetHandle handle) {
        try {
            PrfSet set = handle.getPrimitive(RegistryConfiguration.get(), PrfSet.class);
            this.primaryId = set.getPrimaryId();
            this.all = Map.copyOf(set.getPrfs());
            this.primary = all.get(primaryId);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the index keyset is not a Tink PRF keyset (HMAC_SHA256_PRF); " + Keysets.HOW_TO);
        }
    }

    static Keysets.Source source(CryptoSettings settings) {
        String file = settings.indexKeyFile();
        if ((file == null || file.isBlank()) && settings.kekFile() != null && !settings.kekFile().isBlank() && settings.generateKek()) {
            file = java.nio.file.Path.of(settings.kekFile()).resolveSibling("index-key.json").toString();
        }
        return new Keysets.Source("index keyset", settings.indexKey(), "consent-hub.crypto.index-key (CONSENT_HUB_INDEX_KEY)",
                file, "consent-hub.crypto.index-key-file (CONSENT_HUB_INDEX_KEY_FILE)", settings.generateKek(),
                PredefinedPrfParameters.HMAC_SHA256_PRF);
    }

    /** The id of the primary key, the one new MACs are made with. */
    public int primaryId() {
        return primaryId;
    }

    /** The MAC of {@code text} in {@code domain} under the primary key, as {@code <key id>:<hex>}. */
    public String mac(String domain, String text) {
        return Integer.toUnsignedString(primaryId) + ":" + HexFormat.of().formatHex(compute(primary, domain, text, MAC_BYTES));
    }

    /** The MAC under every key of the keyset, the primary's first: what a lookup matches during a rotation. */
    public List<String> candidates(String domain, String text) {
        var macs = new ArrayList<String>();
        macs.add(mac(domain, text));
        all.forEach((id, prf) -> {
            if (id != primaryId) {
                macs.add(Integer.toUnsignedString(id) + ":" + HexFormat.of().formatHex(compute(prf, domain, text, MAC_BYTES)));
            }
        });
        return macs;
    }

    /** Whether a stored MAC was made with the primary key (else a rotation has still to recompute it). */
    public boolean current(String mac) {
        return mac != null && mac.startsWith(Integer.toUnsignedString(primaryId) + ":");
    }

    /**
     * A 64-hex-digit keyed digest under the primary key, for columns that hold a row's content
     * hash (no key id: a row hash of an old key simply no longer matches, and the row is read as
     * changed once).
     */
    public String digest(String domain, byte[] content) {
        try {
            byte[] input = withDomain(domain, content);
            return HexFormat.of().formatHex(primary.compute(input, 32));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the index key could not compute a MAC", e);
        }
    }

    private static byte[] compute(Prf prf, String domain, String text, int bytes) {
        try {
            return prf.compute(withDomain(domain, text.getBytes(StandardCharsets.UTF_8)), bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the index key could not compute a MAC", e);
        }
    }

    private static byte[] withDomain(String domain, byte[] content) {
        byte[] d = domain.getBytes(StandardCharsets.UTF_8);
        byte[] input = new byte[d.length + 1 + content.length];
        System.arraycopy(d, 0, input, 0, d.length);
        System.arraycopy(content, 0, input, d.length + 1, content.length);
        return input;
    }
}
