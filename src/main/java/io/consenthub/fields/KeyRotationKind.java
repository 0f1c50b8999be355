package io.consenthub.fields;

/**
 * The three rotations, each a resumable job over every contact key in id order.
 *
 * <ul>
 *   <li>{@link #KEK}: after a new primary key was added to the key-encryption keyset, re-wrap
 *       every contact's data key with it. No value is re-encrypted; afterwards the old KEK key may
 *       be removed from the keyset.</li>
 *   <li>{@link #DATA_KEYS}: give every contact a new primary data key and re-seal its sensitive
 *       values under it (ledger evidence stays under the older key, which the keyset keeps).</li>
 *   <li>{@link #INDEX}: after a new primary key was added to the index keyset, re-compute every
 *       blind index with it (values are opened and sealed again). Searches match both keys
 *       meanwhile; CRM change hashes of the old key are replaced at each record's next change.</li>
 * </ul>
 */
public enum KeyRotationKind {
    KEK,
    DATA_KEYS,
    INDEX
}
