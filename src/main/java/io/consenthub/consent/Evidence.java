package io.consenthub.consent;

import java.time.Instant;
import java.util.Objects;

/**
 * What proves that a consent event happened the way the ledger says: who acted, through which
 * channel, when, and, where a person acted, from which IP and user agent and with which proof
 * (a confirmation id, a form id). Kept with the event and covered by its hash.
 */
public record Evidence(ActorKind actorKind, String actorId, String channel, Instant occurredAt,
                       String ip, String userAgent, String proofId, String note) {

    public Evidence {
        Objects.requireNonNull(actorKind, "actorKind");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(occurredAt, "occurredAt");
        actorId = clip(actorId, 128);
        channel = clip(channel, 64);
        ip = clip(ip, 64);
        userAgent = clip(userAgent, 512);
        proofId = clip(proofId, 128);
        note = clip(note, 1000);
    }

    public Evidence withNote(String newNote) {
        return new Evidence(actorKind, actorId, channel, occurredAt, ip, userAgent, proofId, newNote);
    }

    private static String clip(String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return value.length() <= max ? value : value.substring(0, max);
    }
}
