package io.consenthub.consent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.consenthub.crypto.SigningKey;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * Seals and signs the ledger's checkpoints. Appends never wait for a global lock; instead the
 * cluster's leader (route {@code ledger-checkpoint}) periodically seals the heads of all contact
 * chains under one Merkle root and signs it with the hub's key, as Certificate Transparency logs do:
 * sequencing and sealing are batched, appends are not serialised. A chain head is sealed only when
 * it extends the head sealed before it (the event at the sealed position still has the sealed hash)
 * and matches its chain's last event, so sealing can never launder a rewritten chain. Verification
 * ({@link LedgerVerifier}) checks every chain against the sealed heads and those against the signed
 * root, which finds a cut-off tail and a wholesale rewrite with recomputed hashes alike.
 */
@Service
public class LedgerCheckpoints {

    private static final Logger log = LoggerFactory.getLogger(LedgerCheckpoints.class);
    static final String TYPE = "consent-hub-checkpoint+jwt";

    /** What a verified checkpoint's signed payload says. */
    record Signed(long id, String root, long chains, long events, String jws) {
    }

    private final JdbcClient jdbc;
    private final JdbcTemplate streaming;
    private final SigningKey key;
    private final ObjectMapper json;
    private final Clock clock;
    private final CheckpointSettings settings;
    private final LedgerStore store;
    private final Counter sealed;
    private final Counter refused;
    private volatile Instant lastLook = Instant.EPOCH;

    LedgerCheckpoints(JdbcClient jdbc, DataSource dataSource, SigningKey key, ObjectMapper json, Clock clock,
                      CheckpointSettings settings, LedgerStore store, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.streaming = new JdbcTemplate(dataSource);
        this.streaming.setFetchSize(500);
        this.key = key;
        this.json = json;
        this.clock = clock;
        this.settings = settings;
        this.store = store;
        this.sealed = Counter.builder("consent_ledger_checkpoints").tag("outcome", "sealed").register(meters);
        this.refused = Counter.builder("consent_ledger_checkpoints").tag("outcome", "refused").register(meters);
    }

    /**
     * The route's step: seals a checkpoint when one is due (time or events since the last); the new
     * one, if any. Sealers take turns on the {@code ledger_sealer} row; while one holds it nobody else
     * writes the sealed heads, so each statement reading committed data is consistent enough.
     */
    @Transactional(isolation = Isolation.READ_COMMITTED)
    public Optional<LedgerCheckpoint> sealIfDue() {
        takeTurn();
        Optional<LedgerCheckpoint> last = latest();
        Instant now = clock.instant();
        Instant since = last.map(LedgerCheckpoint::sealedAt).filter(at -> at.isAfter(lastLook)).orElse(lastLook);
        boolean timeIsUp = !now.isBefore(since.plusMillis(settings.interval()));
        if (!timeIsUp && appendedSince(last) < settings.events()) {
            return Optional.empty();
        }
        lastLook = now;
        return seal(last);
    }

    /** Seals a checkpoint now, unless nothing changed since the last one. */
    @Transactional(isolation = Isolation.READ_COMMITTED)
    public Optional<LedgerCheckpoint> sealNow() {
        takeTurn();
        return seal(latest());
    }

    private void takeTurn() {
        jdbc.sql("select id from ledger_sealer where id = 1 for update").query(Integer.class).single();
    }

    /**
     * Keeps sealers out until the caller's transaction ends, so a verification reads the checkpoints
     * and the sealed heads of one and the same checkpoint. PostgreSQL's snapshot alone would do; H2's
     * REPEATABLE READ still shows rows written since, which would look like forged heads.
     */
    void holdSealing() {
        takeTurn();
    }

    private long appendedSince(Optional<LedgerCheckpoint> last) {
        long maxSeq = last.map(c -> jdbc.sql("select max_seq from ledger_checkpoint where id = ?").param(c.id()).query(Long.class)
                .single()).orElse(0L);
        return jdbc.sql("select count(*) from (select 1 from consent_event where seq > ? limit ?) pending")
                .params(maxSeq, settings.events()).query(Long.class).single();
    }

    private Optional<LedgerCheckpoint> seal(Optional<LedgerCheckpoint> last) {
        long id = last.map(c -> c.id() + 1).orElse(1L);
        if (last.isPresent()) {
            refuseForgedHeads(last.get());
        }
        // Heads that moved on from their sealed position, when the chain still holds the sealed event and ends where its head says.
        int moved = jdbc.sql("""
                update ledger_sealed_head h set
                  contact_seq = (select c.last_contact_seq from ledger_chain c where c.contact_id = h.contact_id),
                  hash = (select c.last_hash from ledger_chain c where c.contact_id = h.contact_id),
                  checkpoint_id = ?
                where exists (select 1 from ledger_chain c
                              join consent_event tip on tip.contact_id = c.contact_id and tip.contact_seq = c.last_contact_seq
                                and tip.hash = c.last_hash
                              join consent_event old on old.contact_id = c.contact_id and old.contact_seq = h.contact_seq
                                and old.hash = h.hash
                              where c.contact_id = h.contact_id and c.last_contact_seq > h.contact_seq)""")
                .param(id).update();
        int added = jdbc.sql("""
                insert into ledger_sealed_head (contact_id, contact_seq, hash, checkpoint_id)
                select c.contact_id, c.last_contact_seq, c.last_hash, ? from ledger_chain c
                join consent_event tip on tip.contact_id = c.contact_id and tip.contact_seq = c.last_contact_seq and tip.hash = c.last_hash
                where not exists (select 1 from ledger_sealed_head h where h.contact_id = c.contact_id)""")
                .param(id).update();
        if (moved + added == 0 && last.isPresent()) {
            return Optional.empty();
        }
        var root = new MerkleRoot();
        store.sealedHeads(root);
        long maxSeq = jdbc.sql("select coalesce(max(seq), 0) from consent_event").query(Long.class).single();
        Instant at = clock.instant();
        String previous = last.map(c -> hash(c.jws())).orElse(EventHash.GENESIS);
        var payload = new LinkedHashMap<String, Object>();
        payload.put("checkpoint", id);
        payload.put("sealedAt", at.toString());
        payload.put("chains", root.leaves());
        payload.put("events", root.events());
        payload.put("root", root.root());
        payload.put("previous", previous);
        String jws;
        try {
            jws = key.sign(TYPE, json.writeValueAsBytes(payload));
        } catch (IOException e) {
            throw new IllegalStateException("could not write a checkpoint", e);
        }
        jdbc.sql("""
                insert into ledger_checkpoint (id, sealed_at, chains, events, max_seq, root, previous, jws)
                values (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(id, OffsetDateTime.ofInstant(at, ZoneOffset.UTC), root.leaves(), root.events(), maxSeq, root.root(), previous, jws)
                .update();
        sealed.increment();
        log.info("Sealed ledger checkpoint {}: {} chains ({} moved, {} new), {} events, root {}", id, root.leaves(), moved, added,
                root.events(), root.root());
        return Optional.of(new LedgerCheckpoint(id, at, root.leaves(), root.events(), root.root(), previous, jws));
    }

    /**
     * The sealed heads must still hash to the root the last checkpoint signed before a new one builds
     * on them: otherwise someone who rewrote the chains and their sealed heads alike would get the
     * rewrite signed by the next checkpoint. Refusing leaves the problem to verification to name.
     */
    private void refuseForgedHeads(LedgerCheckpoint last) {
        var root = new MerkleRoot();
        store.sealedHeads(root);
        if (!root.root().equals(last.root()) || root.leaves() != last.chains()) {
            refused.increment();
            throw new IllegalStateException("LEDGER TAMPERING SUSPECTED: the sealed chain heads no longer hash to the root checkpoint "
                    + last.id() + " signed; no checkpoint is sealed on top of them (GET /api/ledger/verify names the problems)");
        }
    }

    /** The newest checkpoint, if any was sealed. */
    @Transactional(readOnly = true)
    public Optional<LedgerCheckpoint> latest() {
        return jdbc.sql("select id, sealed_at, chains, events, root, previous, jws from ledger_checkpoint order by id desc limit 1")
                .query(LedgerCheckpoints::row).optional();
    }

    /** Up to {@code limit} checkpoints, newest first, older than {@code before} when given. */
    @Transactional(readOnly = true)
    public List<LedgerCheckpoint> list(Long before, int limit) {
        return jdbc.sql("select id, sealed_at, chains, events, root, previous, jws from ledger_checkpoint where id < ? order by id desc limit ?")
                .params(before == null ? Long.MAX_VALUE : before, limit).query(LedgerCheckpoints::row).list();
    }

    /**
     * Verifies the checkpoints after {@code afterId} in order — each one's signature, its number and
     * its link to the one before — and answers the newest that verified (or the one at
     * {@code afterId} when there is none after it). Problems go to {@code problems}.
     */
    Optional<Signed> verifyAfter(long afterId, Problems problems) {
        var walk = new Object() {
            long expected = afterId + 1;
            String previousJws = afterId == 0 ? null
                    : jdbc.sql("select jws from ledger_checkpoint where id = ?").param(afterId).query(String.class).optional().orElse(null);
            Signed newest = previousJws == null ? null : read(afterId, previousJws, new Problems()).orElse(null);
        };
        streaming.query("select id, jws from ledger_checkpoint where id > ? order by id", (RowCallbackHandler) rs -> {
            long id = rs.getLong(1);
            String jws = rs.getString(2);
            if (id != walk.expected) {
                problems.add("checkpoint-missing", "checkpoints " + walk.expected + ".." + (id - 1) + " are missing");
            }
            Optional<Signed> signed = read(id, jws, problems);
            if (signed.isPresent()) {
                String previous = walk.previousJws == null ? EventHash.GENESIS : hash(walk.previousJws);
                if (!previous.equals(previousOf(jws))) {
                    problems.add("checkpoint-chain", "checkpoint " + id + " does not link to checkpoint " + (id - 1)
                            + " before it: checkpoints were replaced or re-ordered");
                }
                walk.newest = signed.get();
            }
            walk.previousJws = jws;
            walk.expected = id + 1;
        }, afterId);
        return Optional.ofNullable(walk.newest);
    }

    /** The signed statement of checkpoint {@code id}; empty text when there is no such checkpoint. */
    String jwsOf(long id) {
        return jdbc.sql("select jws from ledger_checkpoint where id = ?").param(id).query(String.class).optional().orElse("");
    }

    /** The signed payload of a checkpoint, when its signature verifies and it names itself {@code id}. */
    Optional<Signed> read(long id, String jws, Problems problems) {
        Optional<JsonNode> payload = key.verify(jws).flatMap(this::parse);
        if (payload.isEmpty() || payload.get().path("checkpoint").asLong(-1) != id) {
            problems.add("checkpoint-forged", "checkpoint " + id + " is not signed by the hub's key: it was forged or altered");
            return Optional.empty();
        }
        JsonNode p = payload.get();
        return Optional.of(new Signed(id, p.path("root").asText(), p.path("chains").asLong(), p.path("events").asLong(), jws));
    }

    private String previousOf(String jws) {
        return key.verify(jws).flatMap(this::parse).map(p -> p.path("previous").asText()).orElse("");
    }

    private Optional<JsonNode> parse(byte[] payload) {
        try {
            return Optional.of(json.readTree(payload));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static String hash(String jws) {
        return HexFormat.of().formatHex(MerkleRoot.sha256(jws.getBytes(StandardCharsets.US_ASCII)));
    }

    private static LedgerCheckpoint row(ResultSet rs, int n) throws SQLException {
        return new LedgerCheckpoint(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getLong(3), rs.getLong(4),
                rs.getString(5), rs.getString(6), rs.getString(7));
    }
}
