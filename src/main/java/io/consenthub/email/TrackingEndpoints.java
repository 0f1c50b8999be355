package io.consenthub.email;

import io.consenthub.decision.ConsentDecisions;
import io.consenthub.links.LinkTokens;
import io.consenthub.outbox.Outbox;
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

import jakarta.servlet.http.HttpServletRequest;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;

/**
 * The tracking pixel and tracked links. They exist in a mail only if the contact had granted
 * tracking when it was sent, and they record engagement only while that consent still holds:
 * a revoked consent makes them plain redirects and an untracked image. Each hit is classified by
 * {@link EngagementRules} (HEAD requests record nothing; scanners are stored as suspected bots), and
 * a burst that the rules call a scanner's marks the burst's earlier hits too.
 */
@RestController
class TrackingEndpoints {

    private static final byte[] PIXEL = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    private final LinkTokens tokens;
    private final ConsentDecisions decisions;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final EngagementRules.Thresholds thresholds;
    private final Outbox outbox;

    TrackingEndpoints(LinkTokens tokens, ConsentDecisions decisions, JdbcClient jdbc, Clock clock, TrackingSettings settings,
                      Outbox outbox) {
        this.outbox = outbox;
        this.tokens = tokens;
        this.decisions = decisions;
        this.jdbc = jdbc;
        this.clock = clock;
        this.thresholds = settings.thresholds();
    }

    @GetMapping("/t/o/{token}")
    ResponseEntity<byte[]> open(@PathVariable String token, HttpServletRequest request) {
        tokens.peek(TokenPurpose.TRACKING, token).filter(g -> g.reference().startsWith("open "))
                .ifPresent(grant -> record(request, grant, "OPEN", grant.reference().substring(5), null));
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).contentType(MediaType.IMAGE_GIF).body(PIXEL);
    }

    @GetMapping("/t/c/{token}")
    ResponseEntity<Void> click(@PathVariable String token, HttpServletRequest request) {
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
        record(request, grant.get(), "CLICK", parts[1], parts[2]);
        return ResponseEntity.status(HttpStatus.FOUND).location(target).build();
    }

    private void record(HttpServletRequest request, TokenGrant grant, String kind, String messageId, String url) {
        if ("HEAD".equals(request.getMethod()) || !decisions.mayTrack(grant.contactId())) {
            return;
        }
        Instant now = clock.instant();
        OffsetDateTime burstStart = utc(now.minus(thresholds.burstWindow()));
        Duration sinceDelivery = outbox.deliveredAt(messageId).map(delivered -> Duration.between(delivered, now)).orElse(null);
        int earlier = jdbc.sql("select count(*) from engagement where message_id = ? and occurred_at >= ?")
                .params(messageId, burstStart).query(Integer.class).single();
        var hit = new EngagementRules.Hit(request.getMethod(), request.getHeader("User-Agent"), sinceDelivery, earlier);
        var classification = EngagementRules.classify(hit, thresholds);
        if (classification.verdict() == EngagementRules.Verdict.IGNORED) {
            return;
        }
        jdbc.sql("insert into engagement (contact_id, message_id, kind, url, occurred_at, verdict, verdict_rule) values (?, ?, ?, ?, ?, ?, ?)")
                .params(grant.contactId().value(), messageId, kind, url, utc(now), classification.verdict().name(), classification.rule())
                .update();
        if ("burst-after-delivery".equals(classification.rule())) {
            jdbc.sql("update engagement set verdict = ?, verdict_rule = ? where message_id = ? and occurred_at >= ? and verdict = ?")
                    .params(EngagementRules.Verdict.SUSPECTED_BOT.name(), classification.rule(), messageId, burstStart,
                            EngagementRules.Verdict.PERSON.name())
                    .update();
        }
    }

    private static OffsetDateTime utc(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }
}
