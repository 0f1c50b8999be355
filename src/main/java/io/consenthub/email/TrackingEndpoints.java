package io.consenthub.email;

import io.consenthub.decision.ConsentDecisions;
import io.consenthub.links.LinkTokens;
import io.consenthub.links.TokenGrant;
import io.consenthub.links.TokenPurpose;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;

/**
 * The tracking pixel and tracked links. They exist in a mail only if the contact had granted
 * tracking when it was sent, and they record engagement only while that consent still holds:
 * a revoked consent makes them plain redirects and an untracked image.
 */
@RestController
class TrackingEndpoints {

    private static final byte[] PIXEL = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    private final LinkTokens tokens;
    private final ConsentDecisions decisions;
    private final JdbcClient jdbc;
    private final Clock clock;

    TrackingEndpoints(LinkTokens tokens, ConsentDecisions decisions, JdbcClient jdbc, Clock clock) {
        this.tokens = tokens;
        this.decisions = decisions;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @GetMapping("/t/o/{token}")
    ResponseEntity<byte[]> open(@PathVariable String token) {
        tokens.peek(TokenPurpose.TRACKING, token).filter(g -> g.reference().startsWith("open "))
                .ifPresent(grant -> record(grant, "OPEN", grant.reference().substring(5), null));
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).contentType(MediaType.IMAGE_GIF).body(PIXEL);
    }

    @GetMapping("/t/c/{token}")
    ResponseEntity<Void> click(@PathVariable String token) {
        Optional<TokenGrant> grant = tokens.peek(TokenPurpose.TRACKING, token).filter(g -> g.reference().startsWith("click "));
        if (grant.isEmpty()) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).build();
        }
        String[] parts = grant.get().reference().split(" ", 3);
        URI target;
        try {
            target = new URI(parts[2]);
        } catch (java.net.URISyntaxException e) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).build();
        }
        record(grant.get(), "CLICK", parts[1], parts[2]);
        return ResponseEntity.status(HttpStatus.FOUND).location(target).build();
    }

    private void record(TokenGrant grant, String kind, String messageId, String url) {
        if (!decisions.mayTrack(grant.contactId())) {
            return;
        }
        jdbc.sql("insert into engagement (contact_id, message_id, kind, url, occurred_at) values (?, ?, ?, ?, ?)")
                .params(grant.contactId().value(), messageId, kind, url, OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .update();
    }
}
