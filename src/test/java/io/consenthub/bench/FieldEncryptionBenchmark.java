package io.consenthub.bench;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.prf.PredefinedPrfParameters;
import com.google.crypto.tink.prf.Prf;
import com.google.crypto.tink.prf.PrfSet;
import io.consenthub.contact.Attributes;
import io.consenthub.contact.Contact;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.EmailAddress;
import io.consenthub.contact.FieldProtection;
import io.consenthub.crypto.KeyEncryptionKey;
import io.consenthub.fields.SensitiveFields;
import io.consenthub.support.HubTest;
import io.consenthub.support.PostgresTestDatabase;
import io.consenthub.support.RequiresPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Benchmark, not a test (run only by {@code mvn -Pbench test}): what the sensitive-field
 * encryption costs, on PostgreSQL, on the hub's own beans, each against a baseline in the same run.
 *
 * <ol>
 *   <li>The field path: {@link FieldProtection#seal} then {@link FieldProtection#open} of a
 *       contact's card number and national id (configured in {@code config/fields.yaml}; the card
 *       number is searchable, so sealing it also computes its blind index), the contact's key
 *       looked up on every call, against a raw Tink AES256-GCM encrypt + decrypt loop over the
 *       same values. With the key cache warm (a working set smaller than the cache) and cold (a
 *       working set ten times the cache, walked in order, so every lookup misses): then the key
 *       is read from {@code contact_key} and unwrapped with the KEK. For the cold case two more
 *       baselines say where the time goes: the raw loop plus the KEK unwrap of each contact's key
 *       (no database), and the hub's path in batches of a page of contacts (one key query for the
 *       batch).</li>
 *   <li>A page of 50 contacts through the API's read path ({@link ContactDirectory#getAll}, then
 *       {@link SensitiveFields#masked}) whose card number and national id are sensitive, against
 *       the same page whose contacts carry the same values under two attributes that are not
 *       declared sensitive (names of the same length: they stay in the attributes JSON). Warm and
 *       cold key cache likewise.</li>
 * </ol>
 * Rounds alternate baseline and hub; the report gives medians and the spread of the ratios.
 */
@ExtendWith(RequiresPostgres.class)
@HubTest
@TestPropertySource(properties = "consent-hub.crypto.key-cache-size=" + FieldEncryptionBenchmark.KEY_CACHE)
class FieldEncryptionBenchmark {

    static final int KEY_CACHE = 500;
    private static final int WARM_SET = 200;
    private static final int COLD_SET = Integer.getInteger("bench.contacts", 5_000);
    private static final int PAGE = 50;
    /** Alternations per round for the warm cases, whose one pass over the working set is short. */
    private static final int WARM_CHUNKS = 20;
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 9);
    private static final int WARMUP = Integer.getInteger("bench.warmup", 3);
    /** The same values' attribute names when they are not sensitive: as long as the sensitive ones. */
    private static final String PLAIN_CARD = "cardDigits";
    private static final String PLAIN_ID = "nationalNo";

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry, "consent_hub_bench_fields");
    }

    @Autowired
    FieldProtection protection;
    @Autowired
    SensitiveFields sensitive;
    @Autowired
    ContactDirectory contacts;
    @Autowired
    KeyEncryptionKey kek;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JdbcTemplate db;

    private final List<ContactId> sealedContacts = new ArrayList<>();
    private final List<ContactId> plainContacts = new ArrayList<>();
    private final Map<ContactId, Integer> position = new HashMap<>();
    private final Map<ContactId, String> wrappedKeys = new HashMap<>();
    private Aead rawKey;
    private Prf rawIndexKey;
    /** Keeps the JIT from dropping work whose result is unused. */
    private long sink;

    @Test
    void fieldPathAndPageReadAgainstRawTinkAndPlainAttributes() throws Exception {
        if (!sensitive.names().containsAll(List.of("cardNumber", "nationalId")) || sensitive.isSensitive(PLAIN_CARD)
                || sensitive.isSensitive(PLAIN_ID)) {
            throw new IllegalStateException("the benchmark needs cardNumber and nationalId sensitive and "
                    + PLAIN_CARD + ", " + PLAIN_ID + " not (config/fields.yaml)");
        }
        createContacts();
        rawKey = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM).getPrimitive(RegistryConfiguration.get(), Aead.class);
        PrfSet prfs = KeysetHandle.generateNew(PredefinedPrfParameters.HMAC_SHA256_PRF)
                .getPrimitive(RegistryConfiguration.get(), PrfSet.class);
        rawIndexKey = prfs.getPrfs().get(prfs.getPrimaryId());
        db.query("select contact_id, wrapped_key from contact_key where wrapped_key is not null",
                rs -> {
                    wrappedKeys.put(new ContactId(rs.getObject(1, UUID.class)), rs.getString(2));
                });
        List<ContactId> warm = sealedContacts.subList(0, WARM_SET);
        List<ContactId> warmPlain = plainContacts.subList(0, WARM_SET);

        var comparisons = List.of(
                new Comparison("field path, warm key cache, one contact per call (values/s)", "raw AEAD", false, WARM_CHUNKS,
                        () -> raw(warm, false), () -> hubFieldPath(warm, 1)),
                new Comparison("  the same, against raw AEAD + the blind index the hub also computes (values/s)", "raw AEAD + PRF",
                        false, WARM_CHUNKS, () -> raw(warm, true), () -> hubFieldPath(warm, 1)),
                new Comparison("field path, cold key cache, one contact per call (values/s)", "raw AEAD", true, 1,
                        () -> raw(sealedContacts, false), () -> hubFieldPath(sealedContacts, 1)),
                new Comparison("field path, cold key cache, a page of " + PAGE + " contacts per call (values/s)", "raw AEAD", true, 1,
                        () -> raw(sealedContacts, false), () -> hubFieldPath(sealedContacts, PAGE)),
                new Comparison("  ceiling without a cache: raw AEAD + KEK unwrap of each contact's key, no database (values/s)",
                        "raw AEAD", "raw AEAD + unwrap", false, 1, () -> raw(sealedContacts, false), () -> rawWithUnwrap(sealedContacts)),
                new Comparison("  hub, cold, a page per call, against that ceiling (values/s)", "raw AEAD + unwrap", true, 1,
                        () -> rawWithUnwrap(sealedContacts), () -> hubFieldPath(sealedContacts, PAGE)),
                new Comparison("page of " + PAGE + " read + masked, warm key cache (pages/s)", "plain attributes", true, WARM_CHUNKS,
                        () -> pages(warmPlain), () -> pages(warm)),
                new Comparison("page of " + PAGE + " read + masked, cold key cache (pages/s)", "plain attributes", true, 1,
                        () -> pages(plainContacts), () -> pages(sealedContacts)));
        for (int w = 0; w < WARMUP; w++) {
            comparisons.forEach(Comparison::warmUp);
        }
        var report = new StringBuilder("""
                sensitive fields: seal+open and a page read, against raw Tink and plain attributes (PostgreSQL store, key cache %d,
                warm working set %d contacts, cold working set %d contacts walked in order, 2 fields per contact, %d warm-up passes,
                %d rounds alternating baseline and hub, medians)
                """.formatted(KEY_CACHE, WARM_SET, COLD_SET, WARMUP, ROUNDS));
        comparisons.forEach(c -> report.append(c.run()));
        report.append("  machine: ").append(Machine.describe()).append('\n');
        System.out.println(report);
        System.out.println("(sink " + sink + ")");
        Path out = Path.of("target", "bench", "field-encryption.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /**
     * Work done (values or pages) and the time it took: wall-clock nanoseconds, and the CPU time
     * of the benchmark's thread, which a busy shared machine disturbs far less; it is the measure
     * for the paths that never leave the JVM, and misses the database's work for the others.
     */
    private record Sample(long count, long nanos, long cpuNanos) {

        static long cpu() {
            return THREADS.getCurrentThreadCpuTime();
        }

        static Sample since(long count, long start, long cpuStart) {
            return new Sample(count, System.nanoTime() - start, cpu() - cpuStart);
        }
    }

    /**
     * One measurement: a baseline and the hub's path. Each round alternates them {@code chunks}
     * times and sums each side's work and time, so a change in the machine's load (it is shared)
     * falls on both sides alike; the report gives the medians over ROUNDS rounds. Two untimed
     * alternations first, which also fill the key cache for the warm cases.
     */
    private record Comparison(String what, String baselineName, String measuredName, boolean database, int chunks,
                              Supplier<Sample> baseline, Supplier<Sample> hub) {

        Comparison(String what, String baselineName, boolean database, int chunks, Supplier<Sample> baseline, Supplier<Sample> hub) {
            this(what, baselineName, "hub", database, chunks, baseline, hub);
        }

        void warmUp() {
            for (int i = 0; i < 2; i++) {
                baseline.get();
                hub.get();
            }
        }

        String run() {
            warmUp();
            double[] base = new double[ROUNDS];
            double[] ours = new double[ROUNDS];
            double[] ratios = new double[ROUNDS];
            double[] baseCpuRate = new double[ROUNDS];
            double[] hubCpuRate = new double[ROUNDS];
            double[] cpuRatios = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                long baseCount = 0;
                long baseNanos = 0;
                long hubCount = 0;
                long hubNanos = 0;
                long baseCpu = 0;
                long hubCpu = 0;
                for (int c = 0; c < chunks; c++) {
                    Sample b = baseline.get();
                    Sample h = hub.get();
                    baseCount += b.count();
                    baseNanos += b.nanos();
                    hubCount += h.count();
                    hubNanos += h.nanos();
                    baseCpu += b.cpuNanos();
                    hubCpu += h.cpuNanos();
                }
                base[r] = baseCount / (baseNanos / 1e9);
                ours[r] = hubCount / (hubNanos / 1e9);
                ratios[r] = ours[r] / base[r];
                baseCpuRate[r] = baseCount / (baseCpu / 1e9);
                hubCpuRate[r] = hubCount / (hubCpu / 1e9);
                cpuRatios[r] = hubCpuRate[r] / baseCpuRate[r];
            }
            Arrays.sort(base);
            Arrays.sort(ours);
            Arrays.sort(ratios);
            Arrays.sort(baseCpuRate);
            Arrays.sort(hubCpuRate);
            Arrays.sort(cpuRatios);
            return ("  %s%n      wall: %s %.0f, %s %.0f, ratio %.3f (rounds %.3f-%.3f)%n"
                    + "      thread CPU: %s %.0f, %s %.0f, ratio %.3f (rounds %.3f-%.3f)%s%n").formatted(what, baselineName,
                    base[ROUNDS / 2], measuredName, ours[ROUNDS / 2], ratios[ROUNDS / 2], ratios[0], ratios[ROUNDS - 1], baselineName,
                    baseCpuRate[ROUNDS / 2], measuredName, hubCpuRate[ROUNDS / 2], cpuRatios[ROUNDS / 2], cpuRatios[0], cpuRatios[ROUNDS - 1],
                    database ? " (without the database's share)" : "");
        }
    }

    private void createContacts() {
        for (int from = 0; from < COLD_SET; from += 500) {
            int start = from;
            int end = Math.min(COLD_SET, from + 500);
            var batch = new ArrayList<ContactDirectory.NewContact>();
            var plainBatch = new ArrayList<ContactDirectory.NewContact>();
            for (int i = start; i < end; i++) {
                batch.add(new ContactDirectory.NewContact(new EmailAddress("field-bench-" + i + "@example.org"),
                        new Attributes(attributes(i, "cardNumber", "nationalId")), List.of()));
                plainBatch.add(new ContactDirectory.NewContact(new EmailAddress("plain-bench-" + i + "@example.org"),
                        new Attributes(attributes(i, PLAIN_CARD, PLAIN_ID)), List.of()));
            }
            tx.executeWithoutResult(s -> {
                contacts.createAll(batch).forEach(c -> {
                    position.put(c.id(), sealedContacts.size());
                    sealedContacts.add(c.id());
                });
                contacts.createAll(plainBatch).forEach(c -> plainContacts.add(c.id()));
            });
        }
    }

    private static Map<String, String> attributes(int i, String card, String nationalId) {
        return Map.of("firstName", "Bench" + i, "region", "EU", card, card(i), nationalId, nationalId(i));
    }

    private static String card(int i) {
        return "4111 1111 %04d %04d".formatted(i / 10_000, i % 10_000);
    }

    private static String nationalId(int i) {
        return "19800101-%04d".formatted(i % 10_000);
    }

    private int index(ContactId id) {
        return position.get(id);
    }

    /**
     * The baseline: Tink AES256-GCM encrypt, then decrypt, of the same values with the same
     * associated data; with {@code index}, also the HMAC-SHA256 PRF of the card number's last four
     * digits, the blind index the hub computes when it seals a searchable field.
     */
    private Sample raw(List<ContactId> ids, boolean index) {
        var values = valuesOf(ids);
        long start = System.nanoTime();
        long cpuStart = Sample.cpu();
        var ciphertexts = new byte[values.size()][];
        for (int i = 0; i < values.size(); i++) {
            var p = values.get(i);
            ciphertexts[i] = encrypt(rawKey, p);
            if (index && p.field().equals("cardNumber")) {
                sink += blindIndex(p.value().substring(p.value().length() - 4))[0];
            }
        }
        for (int i = 0; i < values.size(); i++) {
            sink += decrypt(rawKey, values.get(i), ciphertexts[i]).length();
        }
        return Sample.since(values.size(), start, cpuStart);
    }

    /** The raw loop, with each contact's data key unwrapped by the KEK before its values (no database, no cache). */
    private Sample rawWithUnwrap(List<ContactId> ids) {
        var values = valuesOf(ids);
        long start = System.nanoTime();
        long cpuStart = Sample.cpu();
        var ciphertexts = new byte[values.size()][];
        for (int i = 0; i < values.size(); i += 2) {
            ContactId id = values.get(i).contact();
            Aead key = kek.open(id, wrappedKeys.get(id));
            ciphertexts[i] = encrypt(key, values.get(i));
            ciphertexts[i + 1] = encrypt(key, values.get(i + 1));
        }
        for (int i = 0; i < values.size(); i += 2) {
            ContactId id = values.get(i).contact();
            Aead key = kek.open(id, wrappedKeys.get(id));
            sink += decrypt(key, values.get(i), ciphertexts[i]).length();
            sink += decrypt(key, values.get(i + 1), ciphertexts[i + 1]).length();
        }
        return Sample.since(values.size(), start, cpuStart);
    }

    /**
     * The hub: seal every contact's values (the contact's key looked up on each call), then open
     * them all, {@code perCall} contacts per call.
     */
    private Sample hubFieldPath(List<ContactId> ids, int perCall) {
        var values = valuesOf(ids);
        int per = perCall * 2;
        long start = System.nanoTime();
        long cpuStart = Sample.cpu();
        int n = 0;
        var sealed = new ArrayList<FieldProtection.Sealed>(values.size());
        for (int i = 0; i < values.size(); i += per) {
            sealed.addAll(protection.seal(values.subList(i, Math.min(values.size(), i + per))));
        }
        for (int i = 0; i < sealed.size(); i += per) {
            var opened = protection.open(sealed.subList(i, Math.min(sealed.size(), i + per)).stream()
                    .map(FieldEncryptionBenchmark::stored).toList());
            for (var fields : opened.values()) {
                for (String v : fields.values()) {
                    sink += v.length();
                    n++;
                }
            }
        }
        Sample sample = Sample.since(n, start, cpuStart);
        if (n != values.size()) {
            throw new IllegalStateException("opened " + n + " of " + values.size() + " values");
        }
        return sample;
    }

    /** Reads the contacts page by page and masks their attributes, as the API's list answer does. */
    private Sample pages(List<ContactId> ids) {
        long start = System.nanoTime();
        long cpuStart = Sample.cpu();
        int pages = readPages(ids);
        return Sample.since(pages, start, cpuStart);
    }

    private int readPages(List<ContactId> ids) {
        int pages = 0;
        for (int i = 0; i < ids.size(); i += PAGE) {
            List<Contact> page = contacts.getAll(ids.subList(i, Math.min(ids.size(), i + PAGE)));
            for (Contact c : page) {
                Map<String, String> shown = sensitive.masked(c.attributes().values());
                if (shown.size() != 4) {
                    throw new IllegalStateException("contact " + c.id() + " came back with " + shown.size() + " attributes");
                }
                sink += shown.hashCode();
            }
            pages++;
        }
        return pages;
    }

    private List<FieldProtection.Plain> valuesOf(List<ContactId> ids) {
        var values = new ArrayList<FieldProtection.Plain>(ids.size() * 2);
        for (ContactId id : ids) {
            int i = index(id);
            values.add(new FieldProtection.Plain(id, "cardNumber", card(i)));
            values.add(new FieldProtection.Plain(id, "nationalId", nationalId(i)));
        }
        return values;
    }

    private static FieldProtection.Stored stored(FieldProtection.Sealed s) {
        return new FieldProtection.Stored(s.contact(), s.field(), s.ciphertext());
    }

    private static byte[] associatedData(FieldProtection.Plain p) {
        return ("consent-hub/v1/" + p.contact().value() + "/field/" + p.field()).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] encrypt(Aead key, FieldProtection.Plain p) {
        try {
            return key.encrypt(p.value().getBytes(StandardCharsets.UTF_8), associatedData(p));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] blindIndex(String exposed) {
        try {
            return rawIndexKey.compute(("field-exposed/cardNumber/" + exposed).getBytes(StandardCharsets.UTF_8), 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String decrypt(Aead key, FieldProtection.Plain p, byte[] ciphertext) {
        try {
            return new String(key.decrypt(ciphertext, associatedData(p)), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
