package io.consenthub.consent;

import java.time.Instant;

/**
 * A signed checkpoint of the ledger: the Merkle root ({@link MerkleRoot}) over the heads of all
 * {@code chains} contact chains, which hold {@code events} events, sealed at {@code sealedAt}, linked
 * to the checkpoint before it by {@code previous} (SHA-256 of that one's {@code jws}, zeros for the
 * first). {@code jws} is the signed statement itself (compact JWS, ES256, the key in
 * {@code /.well-known/jwks.json}); its payload carries every other field. An auditor who keeps copies
 * can later prove that the ledger was rewritten or cut short since.
 */
public record LedgerCheckpoint(long id, Instant sealedAt, long chains, long events, String root, String previous, String jws) {
}
