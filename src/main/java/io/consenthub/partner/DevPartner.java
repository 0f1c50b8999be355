package io.consenthub.partner;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The embedded default's demo partner, like the dev mailbox: a loopback webhook inside the hub that
 * verifies each call's Standard Webhooks signature, acknowledges revocation notices by echoing
 * their id, and lists what it received at {@code GET /dev/partner} (newest first, the last 200).
 * A call with a bad signature is answered 401 and listed as such. Never on in production.
 */
@RestController
@ConditionalOnProperty(name = "consent-hub.partner-sharing.dev-partner.enabled", havingValue = "true")
class DevPartner {

    private static final int KEPT = 200;

    private final Partners partners;
    private final ObjectMapper json;
    private final Clock clock;
    private final Deque<Map<String, Object>> received = new ArrayDeque<>();

    DevPartner(Partners partners, ObjectMapper json, Clock clock) {
        this.partners = partners;
        this.json = json;
        this.clock = clock;
    }

    @PostMapping(path = "/dev/partner/{partner}", consumes = MediaType.ALL_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> receive(@PathVariable String partner, @RequestBody(required = false) String body,
                                                @RequestHeader(name = "webhook-id", required = false) String id,
                                                @RequestHeader(name = "webhook-timestamp", required = false) String timestamp,
                                                @RequestHeader(name = "webhook-signature", required = false) String signature) {
        if (partners.find(partner).isEmpty()) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "no partner " + partner));
        }
        Instant now = clock.instant();
        boolean verified = WebhookSignature.verify(partners.secret(partner), id, timestamp, signature, body, now);
        var entry = new LinkedHashMap<String, Object>();
        entry.put("partner", partner);
        entry.put("webhookId", id);
        entry.put("receivedAt", now.toString());
        entry.put("signatureValid", verified);
        partners.publicKey(partner).ifPresent(key -> entry.put("v1aSignatureValid",
                WebhookSignature.verifyAsymmetric(key, id, timestamp, signature, body, now)));
        Map<?, ?> payload = Map.of();
        try {
            payload = body == null ? Map.of() : json.readValue(body, Map.class);
        } catch (Exception e) {
            entry.put("error", "the body is not JSON");
        }
        entry.put("type", payload.get("type"));
        entry.put("data", payload.get("data"));
        synchronized (received) {
            received.addFirst(entry);
            while (received.size() > KEPT) {
                received.removeLast();
            }
        }
        if (!verified) {
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(Map.of("error", "the webhook signature does not verify"));
        }
        Object data = payload.get("data");
        if ("consent.revoked".equals(payload.get("type")) && data instanceof Map<?, ?> notice) {
            return ResponseEntity.ok(Map.of("noticeId", String.valueOf(notice.get("noticeId"))));
        }
        return ResponseEntity.ok(Map.of("received", String.valueOf(id)));
    }

    @GetMapping(path = "/dev/partner", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> list() {
        synchronized (received) {
            return Map.of("received", List.copyOf(received));
        }
    }
}
