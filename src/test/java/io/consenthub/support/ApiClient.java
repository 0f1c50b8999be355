package io.consenthub.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A plain HTTP client for the hub's API over a real socket, as curl or a CRM would call it. */
public final class ApiClient {

    /** An answer: status, headers and the body parsed as JSON (null when it is not JSON). */
    public record Answer(int status, HttpHeaders headers, String text, JsonNode json) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final String base;

    public ApiClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public Answer get(String path, String key) {
        return send(request(path, key).GET().build());
    }

    public Answer delete(String path, String key) {
        return send(request(path, key).DELETE().build());
    }

    public Answer post(String path, String key, String body) {
        return send(request(path, key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public Answer postAs(String path, String key, String contentType, String body) {
        return send(request(path, key).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public Answer patch(String path, String key, String body) {
        return send(request(path, key).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** Sends raw bytes as a JSON body, e.g. to try invalid UTF-8. */
    public Answer sendBytes(String method, String path, String key, byte[] body) {
        return send(request(path, key).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** POSTs JSON with extra request headers, e.g. to try spoofing internal ones. */
    public Answer send(String path, String key, String body, java.util.Map<String, String> headers) {
        var builder = request(path, key).header("Content-Type", "application/json");
        headers.forEach(builder::header);
        return send(builder.POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpRequest.Builder request(String path, String key) {
        var builder = HttpRequest.newBuilder(URI.create(base + path)).header("User-Agent", "consent-hub-test");
        if (key != null) {
            builder.header("X-API-Key", key);
        }
        return builder;
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException closed) {
                // Tomcat closes a kept-alive connection after some error answers (400 among them); a request
                // the client sent on it just before gets no byte back and was never read. Sent once more.
                if (closed.getMessage() == null || !closed.getMessage().contains("received no bytes")) {
                    throw closed;
                }
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            }
            JsonNode json = null;
            if (response.headers().firstValue("Content-Type").orElse("").contains("json") && !response.body().isEmpty()) {
                json = JSON.readTree(response.body());
            }
            return new Answer(response.statusCode(), response.headers(), response.body(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
