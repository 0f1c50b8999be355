package io.consenthub.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.consenthub.partner.WebhookSignature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A partner's webhook on loopback, written from the Standard Webhooks spec rather than from the
 * hub: it verifies every call's signature, acknowledges a revocation notice by echoing its
 * {@code noticeId}, and records what it accepted, in arrival order. It can be switched to answer
 * 503 (down), to refuse connections (nothing listens on its port until it is switched back), to
 * answer without echoing, or to run a check on each call before answering (the race test asks the
 * database there whether the payload arrived after its revocation committed).
 */
public final class PartnerStandIn implements AutoCloseable {

    /** UP answers; DOWN answers 503; REFUSING closes the port (connection refused); NO_ECHO answers 200 without the notice id. */
    public enum Mode { UP, DOWN, REFUSING, NO_ECHO }

    /** One accepted call. {@code order} is the stand-in's own arrival counter. */
    public record Received(long order, String webhookId, String type, String contactId, JsonNode data, Instant at) {
    }

    public static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    static {
        // The JDK server writes a reply's headers and body separately; without TCP_NODELAY, Nagle's
        // algorithm and the client's delayed ACK hold every reply back by about 40 ms, which no real
        // partner's web server does (a benchmark measured 20 shares/s instead of hundreds). Read
        // once, when the JDK server's configuration class loads: before the first server here.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;
    private int port;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<String> badSignatures = new CopyOnWriteArrayList<>();
    private final AtomicLong order = new AtomicLong();
    private final AtomicLong refusedCalls = new AtomicLong();
    private volatile Mode mode = Mode.UP;
    private volatile Consumer<Received> onReceive = r -> { };
    private volatile boolean verifySignatures = true;
    private ExecutorService executor;

    public PartnerStandIn() {
        listen(0);
    }

    /** Binds (again) to the port, 0 for any free one; a stand-in switched back from REFUSING comes back on its old port. */
    private synchronized void listen(int onPort) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        port = server.getAddress().getPort();
        server.createContext("/hook", this::handle);
        executor = Executors.newFixedThreadPool(8);
        server.setExecutor(executor);
        server.start();
    }

    private synchronized void stopListening() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    public synchronized String url() {
        return "http://127.0.0.1:" + port + "/hook";
    }

    public synchronized void mode(Mode mode) {
        if (mode == Mode.REFUSING) {
            stopListening();
        } else if (server == null) {
            listen(port);
        }
        this.mode = mode;
    }

    public Mode mode() {
        return mode;
    }

    /** Off: accepts unsigned calls too (a benchmark's baseline route signs nothing); a partner's own cost is then not measured either. */
    public void verifySignatures(boolean verify) {
        this.verifySignatures = verify;
    }

    /** Runs for every accepted call, before it is recorded and answered. */
    public void onReceive(Consumer<Received> check) {
        this.onReceive = check;
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    public List<Received> received(String type, String contactId) {
        return received.stream().filter(r -> r.type().equals(type) && contactId.equals(r.contactId())).toList();
    }

    public List<String> badSignatures() {
        return List.copyOf(badSignatures);
    }

    /** Calls answered 503 or without an echo. */
    public long refusedCalls() {
        return refusedCalls.get();
    }

    public void clear() {
        received.clear();
        badSignatures.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String id = exchange.getRequestHeaders().getFirst("webhook-id");
            if (mode == Mode.DOWN) {
                refusedCalls.incrementAndGet();
                answer(exchange, 503, "{\"error\":\"down\"}");
                return;
            }
            if (verifySignatures && !WebhookSignature.verify(SECRET, id, exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                    exchange.getRequestHeaders().getFirst("webhook-signature"), body, Instant.now())) {
                badSignatures.add(String.valueOf(id));
                answer(exchange, 401, "{\"error\":\"bad signature\"}");
                return;
            }
            JsonNode payload = JSON.readTree(body);
            JsonNode data = payload.get("data");
            String type = payload.get("type").asText();
            if (mode == Mode.NO_ECHO) {
                refusedCalls.incrementAndGet();
                answer(exchange, 200, "{\"ok\":true}");
                return;
            }
            var call = new Received(order.incrementAndGet(), id, type, data.get("contactId").asText(), data, Instant.now());
            onReceive.accept(call);
            received.add(call);
            answer(exchange, 200, "consent.revoked".equals(type)
                    ? "{\"noticeId\":\"" + data.get("noticeId").asText() + "\"}" : "{\"received\":\"" + id + "\"}");
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        stopListening();
    }
}
