package io.consenthub.consent;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The Merkle tree hash of RFC 6962 (Certificate Transparency) over the chain heads a checkpoint
 * seals, computed as the heads stream past in contact id order, in memory logarithmic in their
 * number: leaf = SHA-256(0x00 ‖ contact id ‖ position ‖ head hash), node = SHA-256(0x01 ‖ left ‖ right),
 * the empty tree SHA-256 of nothing. Sealer and verifier use this one class, so they cannot
 * disagree on the encoding.
 */
final class MerkleRoot {

    private record Subtree(byte[] hash, long leaves) {
    }

    private final Deque<Subtree> stack = new ArrayDeque<>();
    private long leaves;
    private long positions;

    /** Adds the next leaf: one contact's chain head (its last position and that event's hash). */
    void add(UUID contact, long contactSeq, String headHash) {
        ByteBuffer leaf = ByteBuffer.allocate(1 + 16 + 8 + 32);
        leaf.put((byte) 0).putLong(contact.getMostSignificantBits()).putLong(contact.getLeastSignificantBits())
                .putLong(contactSeq).put(HexFormat.of().parseHex(headHash));
        Subtree next = new Subtree(sha256(leaf.array()), 1);
        while (!stack.isEmpty() && stack.peek().leaves() == next.leaves()) {
            next = new Subtree(node(stack.pop().hash(), next.hash()), next.leaves() * 2);
        }
        stack.push(next);
        leaves++;
        positions += contactSeq;
    }

    /** How many chains were added. */
    long leaves() {
        return leaves;
    }

    /** The sum of the chains' lengths: how many events the sealed heads cover. */
    long events() {
        return positions;
    }

    /** The root, hex: the smaller, right-hand subtrees fold into the larger ones to their left. */
    String root() {
        if (stack.isEmpty()) {
            return HexFormat.of().formatHex(sha256(new byte[0]));
        }
        var it = stack.iterator();
        byte[] root = it.next().hash();
        while (it.hasNext()) {
            root = node(it.next().hash(), root);
        }
        return HexFormat.of().formatHex(root);
    }

    private static byte[] node(byte[] left, byte[] right) {
        byte[] in = new byte[1 + left.length + right.length];
        in[0] = 1;
        System.arraycopy(left, 0, in, 1, left.length);
        System.arraycopy(right, 0, in, 1 + left.length, right.length);
        return sha256(in);
    }

    static byte[] sha256(byte[] in) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(in);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
