package io.consenthub.consent;

import java.time.Instant;
import java.util.Objects;

/**
 * What proves that a consent event happened the way the ledger says: who acted, through which
 * channel, when, and, where a person acted, from which IP and user agent and with which proof
 * (a confirmation id, a form id). Kept with the event and covered by its hash.
 *
 * <p>{@code origin} is set when the act confirms something first asked for elsewhere — a web form
 * for a known contact, confirmed by email: the event then carries both the confirming browser's
 * evidence and the form's own, so neither is lost.
 */
public record Evidence(ActorKind actorKind, String actorId, String channel, Instant occurredAt,
                       String ip, String userAgent, String proofId, String note, Origin origin) {

    /**
     * Where a confirmed change was first asked for: the channel (e.g. {@code web-form}), the actor
     * (the form), the proof (its submission id) and the submitting client's IP and user agent.
     * IP and user agent are personal data and stored encrypted like the event's own.
     */
    public record Origin(String channel, String actorId, String proofId, String ip, String userAgent) {

        public Origin {
            Objects.requireNonNull(channel, "channel");
            channel = clip(channel, 64);
            actorId = clip(actorId, 128);
            proofId = clip(proofId, 128);
            ip = clip(ip, 64);
            userAgent = clip(userAgent, 512);
        }

        Origin withoutPersonal() {
            return new Origin(channel, actorId, proofId, null, null);
        }
    }

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

    public Evidence(ActorKind actorKind, String actorId, String channel, Instant occurredAt,
                    String ip, String userAgent, String proofId, String note) {
        this(actorKind, actorId, channel, occurredAt, ip, userAgent, proofId, note, null);
    }

    public Evidence withNote(String newNote) {
        return new Evidence(actorKind, actorId, channel, occurredAt, ip, userAgent, proofId, newNote, origin);
    }

    public Evidence withOrigin(Origin newOrigin) {
        return new Evidence(actorKind, actorId, channel, occurredAt, ip, userAgent, proofId, note, newOrigin);
    }

    private static String clip(String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return value.length() <= max ? value : value.substring(0, max);
    }
}
