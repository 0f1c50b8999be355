package io.consenthub.fields;

import io.consenthub.contact.ContactId;
import io.consenthub.crypto.ContactKeys;
import io.consenthub.crypto.KeyRing;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The encrypted-field access log: every reveal of a sensitive value and every refused attempt,
 * append-only and hash-chained in seq order, so an edited, inserted or deleted entry is named by
 * {@link #verify}. Appends queue on the head row (reveals are rare; their order must be one).
 * The reason and the caller's IP are personal data: they are sealed under the contact's data key
 * like ledger evidence, and the chain covers the ciphertext, so shredding a contact leaves the log
 * verifying with those two unreadable.
 */
@Repository
public class FieldAccessLog {

    static final String GENESIS = "0".repeat(64);
    private static final String REASON = "field-access/reason/";
    private static final String IP = "field-access/ip/";

    private final JdbcClient jdbc;
    private final ContactKeys keys;

    FieldAccessLog(JdbcClient jdbc, ContactKeys keys) {
        this.jdbc = jdbc;
        this.keys = keys;
    }

    /** One attempt to reveal, as it is logged. {@code contactKnown} false: the id named no contact, nothing is sealed for it. */
    public record Attempt(Instant at, String keyName, String role, ContactId contact, boolean contactKnown, String field,
                   String outcome, String rule, String reason, String ip) {
    }

    /** One entry as an admin reads it; {@code reason}/{@code ip} are null and {@code evidenceErased} true once the contact's key is destroyed. */
    public record Entry(long seq, String id, Instant occurredAt, String keyName, String role, String contactId, String field,
                 String outcome, String rule, String reason, String ip, Boolean evidenceErased, String hash) {
    }

    /** Search criteria; nulls match everything. {@code before} pages back from a seq. */
    public record Filter(ContactId contact, String field, String keyName, Instant from, Instant to, Long before, int limit) {
    }

    private record Stored(long seq, UUID id, Instant at, String keyName, String role, UUID contact, String field,
                          String outcome, String rule, String reason, String ip, String prevHash, String hash) {
        String expectedHash() {
            return FieldAccessLog.hash(seq, id, at, keyName, role, contact, field, outcome, rule, reason, ip, prevHash);
        }
    }

    void append(Attempt a) {
        var head = jdbc.sql("select seq, hash from field_access_head where id = 1 for update")
                .query((rs, n) -> new Object[] {rs.getLong(1), rs.getString(2)}).single();
        long seq = (Long) head[0] + 1;
        String prev = ((String) head[1]).trim();
        UUID id = UUID.randomUUID();
        Instant at = a.at().truncatedTo(ChronoUnit.MICROS);
        String reason = null;
        String ip = null;
        if (a.contactKnown()) {
            KeyRing ring = keys.forWriting(Set.of(a.contact()));
            // The reason as logged is at most what a reveal accepts, whatever length was sent.
            reason = ring.seal(a.contact(), REASON + id, bounded(blankToNull(a.reason())));
            ip = ring.seal(a.contact(), IP + id, blankToNull(a.ip()));
        }
        String hash = hash(seq, id, at, a.keyName(), a.role(), a.contact().value(), a.field(), a.outcome(), a.rule(), reason, ip, prev);
        jdbc.sql("""
                insert into field_access_log (seq, id, occurred_at, key_name, role, contact_id, field, outcome, rule, reason, ip,
                                              prev_hash, hash)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(seq, id, OffsetDateTime.ofInstant(at, ZoneOffset.UTC), a.keyName(), a.role(), a.contact().value(),
                        a.field(), a.outcome(), a.rule(), reason, ip, prev, hash)
                .update();
        jdbc.sql("update field_access_head set seq = ?, hash = ? where id = 1").params(seq, hash).update();
    }

    List<Entry> search(Filter f) {
        var where = new StringBuilder(" where 1 = 1");
        var params = new ArrayList<Object>();
        if (f.contact() != null) {
            where.append(" and contact_id = ?");
            params.add(f.contact().value());
        }
        if (f.field() != null) {
            where.append(" and field = ?");
            params.add(f.field());
        }
        if (f.keyName() != null) {
            where.append(" and key_name = ?");
            params.add(f.keyName());
        }
        if (f.from() != null) {
            where.append(" and occurred_at >= ?");
            params.add(OffsetDateTime.ofInstant(f.from(), ZoneOffset.UTC));
        }
        if (f.to() != null) {
            where.append(" and occurred_at < ?");
            params.add(OffsetDateTime.ofInstant(f.to(), ZoneOffset.UTC));
        }
        if (f.before() != null) {
            where.append(" and seq < ?");
            params.add(f.before());
        }
        params.add(f.limit());
        List<Stored> rows = jdbc.sql("select * from field_access_log" + where + " order by seq desc fetch first ? rows only")
                .params(params).query(FieldAccessLog::row).list();
        KeyRing ring = keys.forReading(rows.stream().map(r -> new ContactId(r.contact())).collect(java.util.stream.Collectors.toSet()));
        return rows.stream().map(r -> {
            var contact = new ContactId(r.contact());
            boolean erased = ring.destroyed(contact);
            return new Entry(r.seq(), r.id().toString(), r.at(), r.keyName(), r.role(), contact.toString(), r.field(),
                    r.outcome(), r.rule(), ring.open(contact, REASON + r.id(), r.reason()).orElse(null),
                    ring.open(contact, IP + r.id(), r.ip()).orElse(null), erased ? Boolean.TRUE : null, r.hash());
        }).toList();
    }

    /** The chain checked from the first entry: problems name the seq and what is wrong (first 100). */
    VerifyResult verify() {
        var problems = new ArrayList<String>();
        long[] checked = {0};
        String[] previous = {GENESIS};
        long[] expectedSeq = {1};
        jdbc.sql("select * from field_access_log order by seq").query(rs -> {
            Stored r = row(rs, 0);
            if (problems.size() < 100) {
                if (r.seq() != expectedSeq[0]) {
                    problems.add("seq " + r.seq() + ": expected seq " + expectedSeq[0] + " (entries were deleted)");
                } else if (!r.prevHash().equals(previous[0])) {
                    problems.add("seq " + r.seq() + ": its prev_hash does not match the entry before it (one was inserted or deleted)");
                } else if (!r.expectedHash().equals(r.hash())) {
                    problems.add("seq " + r.seq() + ": its contents do not match its hash (it was changed after it was written)");
                }
            }
            previous[0] = r.hash();
            expectedSeq[0] = r.seq() + 1;
            checked[0]++;
        });
        var head = jdbc.sql("select seq, hash from field_access_head where id = 1")
                .query((rs, n) -> new Object[] {rs.getLong(1), rs.getString(2).trim()}).single();
        if ((Long) head[0] != expectedSeq[0] - 1 || !head[1].equals(previous[0])) {
            problems.add("the head (seq " + head[0] + ") does not match the last entry (seq " + (expectedSeq[0] - 1)
                    + "): entries at the end were deleted or the head was changed");
        }
        return new VerifyResult(problems.isEmpty(), checked[0], problems);
    }

    public record VerifyResult(boolean ok, long entries, List<String> problems) {
    }

    private static Stored row(ResultSet rs, int n) throws SQLException {
        return new Stored(rs.getLong("seq"), rs.getObject("id", UUID.class), rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                rs.getString("key_name"), rs.getString("role"), rs.getObject("contact_id", UUID.class), rs.getString("field"),
                rs.getString("outcome"), rs.getString("rule"), rs.getString("reason"), rs.getString("ip"),
                rs.getString("prev_hash").trim(), rs.getString("hash").trim());
    }

    private static String hash(long seq, UUID id, Instant at, String keyName, String role, UUID contact, String field,
                               String outcome, String rule, String reason, String ip, String prev) {
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            for (Object part : new Object[] {seq, id, at.truncatedTo(ChronoUnit.MICROS), keyName, role, contact, field, outcome,
                    rule, reason, ip, prev}) {
                digest.update(part == null ? new byte[] {1} : ("v" + part).getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String bounded(String text) {
        return text == null || text.length() <= RevealRules.MAX_REASON ? text : text.substring(0, RevealRules.MAX_REASON);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
