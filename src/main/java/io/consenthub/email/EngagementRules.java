package io.consenthub.email;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The one owner of "was this open or click a person?". Mail security gateways (Microsoft Safe Links,
 * Proofpoint, Mimecast, Barracuda …) fetch every link and image of a message as it arrives; counted
 * as engagement they make every campaign look opened and clicked. A hit is:
 * <ol>
 *   <li>{@code IGNORED} for a {@code HEAD} request: no body was wanted, nobody looked;</li>
 *   <li>{@code SUSPECTED_BOT} without a user agent, or with a known scanner's or HTTP library's;</li>
 *   <li>{@code SUSPECTED_BOT} within {@code earlyWindow} of delivery when it makes a burst: at least
 *       {@code burstSize} hits on the same message within {@code burstWindow} (a gateway opening the
 *       pixel and every link at once, as data-centre machines do; a person opens, then clicks one link);</li>
 *   <li>otherwise {@code PERSON}.</li>
 * </ol>
 * Suspected hits are still stored (marked), so the decision can be audited, but engagement reports
 * count only {@code PERSON}. Pure: the endpoints gather the facts, this class decides.
 */
final class EngagementRules {

    /** The verdict on one hit, and the rule that gave it. */
    enum Verdict { PERSON, SUSPECTED_BOT, IGNORED }

    record Classification(Verdict verdict, String rule) {
    }

    /**
     * One hit on a tracking link: its method, user agent, the time since the message was delivered
     * (null when unknown) and how many hits the same message had within the burst window before it.
     */
    record Hit(String method, String userAgent, Duration sinceDelivery, int earlierHitsInBurstWindow) {
    }

    /** The thresholds; see {@link TrackingSettings} for the configured values. */
    record Thresholds(Duration earlyWindow, Duration burstWindow, int burstSize, List<String> scannerAgents) {
    }

    /** Substrings (lower case) of the user agents of link scanners, crawlers and HTTP libraries. */
    static final List<String> SCANNER_AGENTS = List.of(
            "bot", "crawler", "spider", "scanner", "preview", "safelinks", "proofpoint", "mimecast", "barracuda",
            "messagelabs", "symantec", "trendmicro", "trend micro", "forcepoint", "ironport", "sophos", "fortiguard",
            "urldefense", "headlesschrome", "phantomjs", "curl/", "wget/", "python-requests", "python-urllib",
            "aiohttp", "go-http-client", "okhttp", "apache-httpclient", "libwww-perl", "java/", "java-http-client",
            "node-fetch", "axios/");

    static final Thresholds DEFAULTS = new Thresholds(Duration.ofSeconds(10), Duration.ofSeconds(5), 3, SCANNER_AGENTS);

    private EngagementRules() {
    }

    static Classification classify(Hit hit, Thresholds thresholds) {
        if ("HEAD".equalsIgnoreCase(hit.method())) {
            return new Classification(Verdict.IGNORED, "head-request");
        }
        String agent = hit.userAgent() == null ? "" : hit.userAgent().strip().toLowerCase(Locale.ROOT);
        if (agent.isEmpty()) {
            return new Classification(Verdict.SUSPECTED_BOT, "no-user-agent");
        }
        if (thresholds.scannerAgents().stream().anyMatch(agent::contains)) {
            return new Classification(Verdict.SUSPECTED_BOT, "scanner-user-agent");
        }
        boolean early = hit.sinceDelivery() != null && hit.sinceDelivery().compareTo(thresholds.earlyWindow()) <= 0;
        if (early && hit.earlierHitsInBurstWindow() + 1 >= thresholds.burstSize()) {
            return new Classification(Verdict.SUSPECTED_BOT, "burst-after-delivery");
        }
        return new Classification(Verdict.PERSON, "person");
    }
}
