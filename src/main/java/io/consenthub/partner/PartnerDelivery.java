package io.consenthub.partner;

import io.consenthub.consent.ConsentLedger;
import io.consenthub.consent.ContactState;
import io.consenthub.consent.ContactStates;
import io.consenthub.contact.Contact;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.decision.Act;
import io.consenthub.decision.ConsentDecisions;
import io.consenthub.decision.ConsentRefusedException;
import io.consenthub.decision.GateQuestion;
import io.consenthub.outbox.Outbox;
import io.consenthub.outbox.OutboxMessage;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The steps of {@code routes/partner/partner-delivery.camel.yaml}: claim (revocation notices first,
 * partners whose circuit is open left out), prepare the gate's question, build and sign the
 * payload under the contact's fence ({@link PartnerFence}), check the partner's reply, record the
 * outcome. Nothing here decides consent: the {@code consentGate} does, inside the fence.
 */
@Component("partnerDelivery")
public class PartnerDelivery {

    static final String MESSAGE = "ConsentHubPartnerMessage";
    static final String PARTNER = "ConsentHubPartner";
    static final String SHARED = "ConsentHubPartnerShared";
    /** Set when the partner's payloads also carry a {@code v1a} signature (the route's crypto:sign step). */
    static final String SIGNS_V1A = "ConsentHubPartnerSignsV1a";
    private static final String PAYLOAD = "ConsentHubPartnerPayload";
    private static final String CRYPTO_PRIVATE_KEY = "CamelSignaturePrivateKey";
    private static final String CRYPTO_SIGNATURE = "CamelDigitalSignature";
    /** How soon a message that waits for another (a notice to be acknowledged, an earlier share) is looked at again. */
    static final Duration WAIT = Duration.ofMillis(500);
    private static final Logger log = LoggerFactory.getLogger(PartnerDelivery.class);

    private final Partners partners;
    private final PartnerSettings settings;
    private final Outbox outbox;
    private final ContactDirectory contacts;
    private final ContactStates states;
    private final ConsentLedger ledger;
    private final ConsentDecisions decisions;
    private final PartnerPayloads payloads;
    private final Disclosures disclosures;
    private final PartnerMetrics metrics;
    private final Environment environment;
    private final Clock clock;
    private final Map<String, Circuit> circuits = new ConcurrentHashMap<>();

    PartnerDelivery(Partners partners, PartnerSettings settings, Outbox outbox, ContactDirectory contacts, ContactStates states,
                    ConsentLedger ledger, ConsentDecisions decisions, PartnerPayloads payloads, Disclosures disclosures, PartnerMetrics metrics,
                    Environment environment, Clock clock) {
        this.partners = partners;
        this.settings = settings;
        this.outbox = outbox;
        this.contacts = contacts;
        this.states = states;
        this.ledger = ledger;
        this.decisions = decisions;
        this.payloads = payloads;
        this.disclosures = disclosures;
        this.metrics = metrics;
        this.environment = environment;
        this.clock = clock;
    }

    /** A share or notice that must wait for another message first; postponed without using up an attempt. */
    public static class Waits extends RuntimeException {
        Waits(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The partner's circuit does not let the call through now: the message waits, keeping the error that opened it. */
    public static class CircuitOpen extends Waits {
        CircuitOpen() {
            super("waiting: the partner's circuit is open");
        }
    }

    /** The claim on the message was lost (cancelled by a revocation, or its lease ran out and another member took it). */
    public static class ClaimLost extends RuntimeException {
        ClaimLost() {
            super("the claim on the message was lost", null, false, false);
        }
    }

    /** A reply that is not an acknowledgement: not 2xx, or a notice's reply that does not echo its id. */
    public static class NotAcknowledged extends RuntimeException {
        NotAcknowledged(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Due messages: revocation notices first (they overtake shares), then shares; none for partners whose circuit is open. */
    public List<OutboxMessage> due() {
        Instant now = clock.instant();
        List<String> open = circuits.entrySet().stream().filter(e -> !e.getValue().allows(now)).map(Map.Entry::getKey).toList();
        var due = new ArrayList<>(outbox.claim(PartnerShares.NOTICE, settings.batchSize(), open));
        if (due.size() < settings.batchSize()) {
            due.addAll(outbox.claim(PartnerShares.SHARE, settings.batchSize() - due.size(), open));
        }
        return due;
    }

    public void prepare(Exchange exchange) {
        OutboxMessage message = exchange.getMessage().getBody(OutboxMessage.class);
        exchange.setProperty(MESSAGE, message);
        PartnerSettings.Partner partner = partners.find(message.destination()).orElse(null);
        exchange.setProperty(PARTNER, message.destination());
        Act act = isNotice(message) ? new Act.NotifyPartner(message.destination()) : new Act.ShareWithPartner(message.destination());
        new GateQuestion(message.contactId(), act, message.messageId()).askOn(exchange);
        if (partner == null) {
            // removed from config/partners.yaml: nothing can be sent, so nothing may wait for it
            log.warn("partner {} is no longer configured: {} {} refused, never sent", message.destination(), message.kind(),
                    message.messageId());
            outbox.refused(message, "partner-not-configured");
            exchange.setRouteStop(true);
            return;
        }
        if (!outbox.renewClaim(message)) {
            throw new ClaimLost();
        }
        if (!partner.isEnabled()) {
            // waits, no attempt used, until the partner is enabled again: a notice must still reach it, and a
            // share is decided again by the gate then
            throw new Waits("waiting: partner " + message.destination() + " is disabled");
        }
        exchange.setProperty("ConsentHubPartnerTimeout", partner.timeout().toMillis());
        exchange.setProperty("ConsentHubPartnerConnectTimeout", partner.connectTimeout().toMillis());
    }

    /**
     * Inside the fence, before the gate: the claim must still be ours (a revocation may have
     * cancelled the message), a share waits while any revocation notice of the contact is
     * unacknowledged, and every message waits for the earlier ones of its contact and partner.
     */
    void checkOrder(OutboxMessage message) {
        if (!outbox.holdsClaim(message)) {
            throw new ClaimLost();
        }
        if (!isNotice(message) && outbox.hasUnfinished(List.of(PartnerShares.NOTICE), message.contactId(), null, Long.MAX_VALUE)) {
            throw new Waits("waiting: a revocation notice of this contact is not acknowledged yet");
        }
        if (outbox.hasUnfinished(List.of(message.kind()), message.contactId(), message.destination(), message.id())) {
            throw new Waits("waiting: an earlier message of this contact to this partner is not delivered yet");
        }
    }

    /**
     * Builds the body (under the fence and after the gate), with the Standard Webhooks id and
     * timestamp headers and nothing else; {@link #sign} adds the signature as the next step.
     */
    public void payload(Exchange exchange) {
        OutboxMessage message = exchange.getProperty(MESSAGE, OutboxMessage.class);
        PartnerSettings.Partner partner = partners.require(message.destination());
        Instant now = clock.instant();
        String body;
        if (isNotice(message)) {
            body = message.payload();
        } else {
            Contact contact = contacts.get(message.contactId());
            ContactState state = states.read(message.contactId());
            Map<String, String> attributes = payloads.attributesFor(partner, contact, state);
            String purpose = decisions.purposeAllowingShare(state, message.destination()).orElse(null);
            Long seq = purpose == null ? null : ledger.currentEventSeq(message.contactId(), purpose).orElse(null);
            body = payloads.share(message.messageId(), message.destination(), contact, attributes, purpose, seq, now);
            exchange.setProperty(SHARED, new Shared(List.copyOf(attributes.keySet()), purpose, seq));
        }
        var out = exchange.getMessage();
        out.removeHeaders("*");
        long timestamp = now.getEpochSecond();
        out.setHeader("webhook-id", message.messageId());
        out.setHeader("webhook-timestamp", String.valueOf(timestamp));
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setHeader(Exchange.HTTP_METHOD, "POST");
        out.setHeader(Exchange.HTTP_URI, environment.resolveRequiredPlaceholders(partner.url()));
        out.setBody(body);
        exchange.setProperty(SIGNS_V1A, partners.signingKey(message.destination()).isPresent());
    }

    /**
     * Before {@code crypto:sign}: the body becomes what Standard Webhooks signs ({@code id.timestamp.body})
     * and the partner's Ed25519 key goes where camel-crypto takes it; the payload waits in a property.
     */
    public void signingInput(Exchange exchange) {
        OutboxMessage message = exchange.getProperty(MESSAGE, OutboxMessage.class);
        var out = exchange.getMessage();
        String body = out.getBody(String.class);
        exchange.setProperty(PAYLOAD, body);
        out.setHeader(CRYPTO_PRIVATE_KEY, partners.signingKey(message.destination()).orElseThrow().privateKey());
        out.setBody(WebhookSignature.signedContent(message.messageId(), Long.parseLong(out.getHeader("webhook-timestamp", String.class)), body));
    }

    /** After {@code crypto:sign}: its signature joins the {@code v1} one as {@code v1a,…}; the payload is the body again. */
    public void signed(Exchange exchange) {
        var out = exchange.getMessage();
        Object signature = out.getHeader(CRYPTO_SIGNATURE);
        String encoded = signature instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.US_ASCII) : String.valueOf(signature);
        out.setHeader("webhook-signature", out.getHeader("webhook-signature", String.class) + " v1a," + encoded);
        out.removeHeader(CRYPTO_SIGNATURE);
        out.removeHeader(CRYPTO_PRIVATE_KEY);
        out.setBody(exchange.getProperty(PAYLOAD, String.class));
        exchange.removeProperty(PAYLOAD);
    }

    /**
     * Signs what {@link #payload} built (Standard Webhooks v1: id, timestamp and body, with the
     * partner's secret). A step of its own so the route shows it, and so the benchmark can measure
     * the same route without it.
     */
    public void sign(Exchange exchange) {
        OutboxMessage message = exchange.getProperty(MESSAGE, OutboxMessage.class);
        var out = exchange.getMessage();
        long timestamp = Long.parseLong(out.getHeader("webhook-timestamp", String.class));
        out.setHeader("webhook-signature", WebhookSignature.sign(partners.secret(message.destination()), message.messageId(), timestamp,
                out.getBody(String.class)));
    }

    record Shared(List<String> attributes, String purpose, Long consentEventSeq) {
    }

    /**
     * Just before the call: the partner's circuit must let it through. A message claimed before
     * the circuit opened, or a second one while the half-open circuit's one trial call is out,
     * waits (no attempt used) instead of spending a timeout on a partner known to be down. Every
     * call that passes ends in {@link #acknowledged} or {@link #failed}, which settle the circuit.
     */
    public void circuitAllows(Exchange exchange) {
        OutboxMessage message = exchange.getProperty(MESSAGE, OutboxMessage.class);
        if (!circuit(message.destination()).tryCall(clock.instant())) {
            throw new CircuitOpen();
        }
    }

    /**
     * Checks the partner's reply and, for an acknowledgement, records the disclosure and the
     * delivery in the fence's transaction: a 2xx, and for a notice a JSON body echoing its id.
     */
    public void acknowledged(Exchange exchange) {
        OutboxMessage message = exchange.getProperty(MESSAGE, OutboxMessage.class);
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status == null || status < 200 || status > 299) {
            throw new NotAcknowledged("the partner answered HTTP " + status);
        }
        Instant now = clock.instant();
        if (isNotice(message)) {
            String reply = exchange.getMessage().getBody(String.class);
            String echoed = echoedNoticeId(reply);
            if (!message.messageId().equals(echoed)) {
                throw new NotAcknowledged("the partner's reply does not echo the notice id (noticeId: "
                        + (echoed == null ? "missing" : "another id") + ")");
            }
        }
        circuit(message.destination()).succeeded();
        // the outcome first: a claim lost meanwhile (another member delivered it) records nothing here
        if (!outbox.delivered(message)) {
            throw new ClaimLost();
        }
        if (isNotice(message)) {
            Map<?, ?> notice = payloads.read(message.payload(), Map.class);
            Object reason = notice.get("data") instanceof Map<?, ?> data ? data.get("reason") : null;
            disclosures.record(message.contactId(), message.destination(), Disclosures.NOTICE, message.messageId(), null, null,
                    null, reason == null ? null : reason.toString(), now);
        } else {
            Shared shared = exchange.getProperty(SHARED, Shared.class);
            disclosures.record(message.contactId(), message.destination(), Disclosures.SHARE, message.messageId(),
                    shared.attributes(), shared.purpose(), shared.consentEventSeq(), null, now);
        }
        metrics.delivery(message.destination(), message.kind(), isNotice(message) ? "acknowledged" : "delivered");
    }

    private String echoedNoticeId(String reply) {
        if (reply == null || reply.isBlank()) {
            return null;
        }
        try {
            Object id = payloads.read(reply, Map.class).get("noticeId");
            return id == null ? null : id.toString();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The gate refused (consent revoked since the share was enqueued): cancelled and recorded, never sent. */
    public void refused(Exchange exchange) {
        OutboxMessage message = exchange.getProperty(MESSAGE, OutboxMessage.class);
        var cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, ConsentRefusedException.class);
        outbox.refused(message, cause == null ? "refused" : cause.getMessage());
        metrics.delivery(message.destination(), message.kind(), "refused");
    }

    /** Waiting for another message: due again shortly, the attempt not counted. */
    public void waiting(Exchange exchange) {
        OutboxMessage message = exchange.getProperty(MESSAGE, OutboxMessage.class);
        var cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (cause instanceof CircuitOpen) {
            outbox.postponedKeepingError(message, clock.instant().plus(WAIT));
        } else {
            outbox.postponed(message, clock.instant().plus(WAIT), cause == null ? "waiting" : cause.getMessage());
        }
        metrics.delivery(message.destination(), message.kind(), "waiting");
    }

    /** The claim was lost: another outcome was recorded meanwhile; nothing to do. */
    public void claimLost(Exchange exchange) {
        OutboxMessage message = exchange.getProperty(MESSAGE, OutboxMessage.class);
        log.debug("partner message {} no longer claimed by this member; left as it is", message == null ? null : message.messageId());
    }

    /**
     * A failed call (no answer, a timeout, a reply that is not an acknowledgement): retried after
     * the partner's backoff, the circuit told. A notice is never given up; a share only after the
     * partner's {@code retry.max-attempts}, if set. Logged with the partner, message id and reason, never the payload.
     */
    public void failed(Exchange exchange) {
        OutboxMessage message = exchange.getProperty(MESSAGE, OutboxMessage.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (message == null) {
            log.error("partner delivery failed before its outbox message was known: {}", reason(cause));
            return;
        }
        String reason = reason(cause);
        Instant now = clock.instant();
        circuit(message.destination()).failed(now);
        metrics.delivery(message.destination(), message.kind(), "failed");
        PartnerSettings.Partner partner = partners.find(message.destination()).orElse(null);
        PartnerSettings.Retry retry = partner == null ? new PartnerSettings.Retry(null, null, 0) : partner.retry();
        if (!isNotice(message) && retry.maxAttempts() > 0 && message.attempts() >= retry.maxAttempts()) {
            log.warn("partner {}: share {} given up after {} attempts: {}", message.destination(), message.messageId(),
                    message.attempts(), reason);
            outbox.gaveUp(message, reason);
            return;
        }
        log.warn("partner {}: {} {} attempt {} failed, will retry: {}", message.destination(), message.kind(),
                message.messageId(), message.attempts(), reason);
        outbox.retryAt(message, now.plus(retry.after(message.attempts())), reason);
    }

    /** This member's circuit state per partner, for the status answer. */
    Map<String, String> circuitStates() {
        Instant now = clock.instant();
        var states = new java.util.LinkedHashMap<String, String>();
        partners.ids().forEach(id -> states.put(id, circuit(id).state(now).name()));
        return states;
    }

    Set<String> partnerIds() {
        return partners.ids();
    }

    private Circuit circuit(String partnerId) {
        return circuits.computeIfAbsent(partnerId, id -> {
            PartnerSettings.Circuit c = partners.find(id).map(PartnerSettings.Partner::circuit)
                    .orElse(new PartnerSettings.Circuit(0, null));
            return new Circuit(c.failures(), c.openFor());
        });
    }

    private static boolean isNotice(OutboxMessage message) {
        return PartnerShares.NOTICE.equals(message.kind());
    }

    /** A failure's reason without personal data: the exception's type and, for our own and HTTP ones, the message. */
    private static String reason(Throwable cause) {
        if (cause == null) {
            return "unknown error";
        }
        if (cause instanceof NotAcknowledged) {
            return cause.getMessage();
        }
        String type = cause.getClass().getSimpleName();
        String text = cause.getMessage();
        return text == null ? type : type + ": " + (text.length() > 300 ? text.substring(0, 300) : text);
    }
}
