package io.consenthub.consent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 over an event's fields and the previous event's hash. Each field is length-prefixed so
 * no two different events can produce the same input text. The ledger hashes the evidence as
 * stored, i.e. the ciphertext of IP, user agent and note, so the chain verifies without any key
 * and still verifies after a contact's key was destroyed.
 */
final class EventHash {

    static final String GENESIS = "0".repeat(64);

    private EventHash() {
    }

    static String of(ConsentEvent e, String prevHash) {
        return of(e, e.evidence().ip(), e.evidence().userAgent(), e.evidence().note(), prevHash);
    }

    /** The hash with the IP, user agent and note given as stored (ciphertext), in place of the event's evidence. */
    static String of(ConsentEvent e, String ip, String userAgent, String note, String prevHash) {
        var text = new StringBuilder(256);
        Object[] fields = {e.seq(), e.eventId(), e.contactId().value(), e.type(), e.subject(), e.value(),
                e.previousValue(), e.evidence().actorKind(), e.evidence().actorId(), e.evidence().channel(),
                e.evidence().occurredAt(), ip, userAgent, e.evidence().proofId(),
                note, prevHash};
        for (Object field : fields) {
            if (field == null) {
                text.append("-;");
            } else {
                String s = field.toString();
                text.append(s.length()).append(':').append(s).append(';');
            }
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e1) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e1);
        }
    }
}
