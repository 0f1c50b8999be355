package io.consenthub.support;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A plain HTTP endpoint on loopback that answers 204 to every call and records its headers and
 * body: the far side of a workflow route or a partner, when a test wants to read exactly what arrived.
 */
public final class RecordingEndpoint implements AutoCloseable {

    /** One call as it arrived. */
    public record Call(Map<String, List<String>> headers, String body) {

        /** A header's first value, whatever its case. */
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> e.getValue().get(0)).orElse(null);
        }
    }

    private final HttpServer server;
    private final String path;
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    public RecordingEndpoint(String path) {
        this.path = path;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext(path, exchange -> {
            calls.add(new Call(Map.copyOf(exchange.getRequestHeaders()),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Call> calls() {
        return new ArrayList<>(calls);
    }

    /** The calls whose body contains {@code text}, in arrival order. */
    public List<Call> callsContaining(String text) {
        return calls.stream().filter(c -> c.body().contains(text)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
