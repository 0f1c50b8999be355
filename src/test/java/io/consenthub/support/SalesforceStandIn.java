package io.consenthub.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for the Salesforce REST API on 127.0.0.1, as far as camel-salesforce uses it
 * (facts in shared/reference/salesforce-rest-api-notes.md): the OAuth token endpoint, SOQL query
 * and queryAll with paging through nextRecordsUrl, record PATCH, 401 for an expired session and
 * per-record field errors. Records are held in memory; a PATCH moves SystemModstamp like Salesforce.
 */
public final class SalesforceStandIn implements AutoCloseable {

    public static final String API = "/services/data/v56.0/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter MODSTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx");
    private static final Pattern FROM = Pattern.compile("FROM (\\w+)");
    private static final Pattern SINCE = Pattern.compile("SystemModstamp >= (\\S+)");

    private final HttpServer server;
    private final int pageSize;
    private final Map<String, List<ObjectNode>> records = new ConcurrentHashMap<>();
    private final Map<String, List<ObjectNode>> cursors = new ConcurrentHashMap<>();
    private final Set<String> validTokens = ConcurrentHashMap.newKeySet();
    private final Set<String> failingWrites = ConcurrentHashMap.newKeySet();
    private final List<Map<String, String>> logins = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Map<String, List<JsonNode>> patches = new ConcurrentHashMap<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private volatile Instant clock = Instant.parse("2026-01-10T09:00:00Z");

    public SalesforceStandIn(int pageSize) {
        this.pageSize = pageSize;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Adds a record; its SystemModstamp is the stand-in's clock, which then moves on by one second. */
    public synchronized void add(String objectName, String id, Map<String, Object> fields) {
        ObjectNode record = JSON.createObjectNode();
        record.putObject("attributes").put("type", objectName).put("url", API + "sobjects/" + objectName + "/" + id);
        record.put("Id", id);
        record.put("IsDeleted", false);
        record.put("HasOptedOutOfEmail", false);
        fields.forEach((name, value) -> record.set(name, JSON.valueToTree(value)));
        record.put("SystemModstamp", tick());
        records.computeIfAbsent(objectName, o -> new CopyOnWriteArrayList<>()).add(record);
    }

    /** Changes fields of a record as a Salesforce user would, moving its SystemModstamp. */
    public synchronized void change(String id, Map<String, Object> fields) {
        ObjectNode record = find(id);
        fields.forEach((name, value) -> record.set(name, JSON.valueToTree(value)));
        record.put("SystemModstamp", tick());
    }

    public JsonNode record(String id) {
        return find(id);
    }

    public void expireSessions() {
        validTokens.clear();
    }

    public void failWritesTo(String id) {
        failingWrites.add(id);
    }

    public void acceptWritesTo(String id) {
        failingWrites.remove(id);
    }

    public List<Map<String, String>> logins() {
        return List.copyOf(logins);
    }

    public List<String> requests() {
        return List.copyOf(requests);
    }

    public List<JsonNode> patches(String id) {
        return List.copyOf(patches.getOrDefault(id, List.of()));
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private String tick() {
        Instant at = clock;
        clock = clock.plusSeconds(1);
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC).format(MODSTAMP);
    }

    private ObjectNode find(String id) {
        return records.values().stream().flatMap(List::stream).filter(r -> r.get("Id").asText().equals(id))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no record " + id));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            requests.add(method + " " + exchange.getRequestURI());
            if (path.equals("/services/oauth2/token") && method.equals("POST")) {
                login(exchange);
            } else if (path.equals("/services/oauth2/revoke")) {
                send(exchange, 200, "{}");
            } else if (path.startsWith(API)) {
                String auth = exchange.getRequestHeaders().getFirst("Authorization");
                if (auth == null || !validTokens.contains(auth.replaceFirst("^Bearer ", ""))) {
                    send(exchange, 401, "[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]");
                    return;
                }
                api(exchange, path.substring(API.length()), method);
            } else {
                send(exchange, 404, "[{\"message\":\"The requested resource does not exist\",\"errorCode\":\"NOT_FOUND\"}]");
            }
        } catch (RuntimeException e) {
            send(exchange, 500, "[{\"message\":\"" + e.getMessage() + "\",\"errorCode\":\"UNKNOWN_EXCEPTION\"}]");
        }
    }

    private void login(HttpExchange exchange) throws IOException {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            form.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
        }
        logins.add(form);
        if (!"test-client".equals(form.get("client_id")) || !"test-secret".equals(form.get("client_secret"))
                || ("password".equals(form.get("grant_type")) && !"s3cret-and-token".equals(form.get("password")))) {
            send(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"authentication failure\"}");
            return;
        }
        String token = "00D000000000001!token-" + sequence.incrementAndGet();
        validTokens.add(token);
        var body = new LinkedHashMap<String, Object>();
        body.put("access_token", token);
        body.put("instance_url", url());
        body.put("id", url() + "/id/00D000000000001AAA/005000000000001AAA");
        body.put("token_type", "Bearer");
        body.put("issued_at", String.valueOf(System.currentTimeMillis()));
        body.put("signature", "stand-in");
        send(exchange, 200, JSON.writeValueAsString(body));
    }

    private void api(HttpExchange exchange, String resource, String method) throws IOException {
        if (method.equals("GET") && (resource.equals("query/") || resource.equals("queryAll/"))) {
            String soql = decode(exchange.getRequestURI().getRawQuery().replaceFirst("^q=", ""));
            page(exchange, query(soql, resource.startsWith("queryAll")));
        } else if (method.equals("GET") && (resource.startsWith("query/") || resource.startsWith("queryAll/"))) {
            String locator = resource.substring(resource.indexOf('/') + 1);
            List<ObjectNode> rest = cursors.remove(locator);
            if (rest == null) {
                send(exchange, 400, "[{\"message\":\"invalid query locator\",\"errorCode\":\"INVALID_QUERY_LOCATOR\"}]");
                return;
            }
            page(exchange, rest);
        } else if (method.equals("PATCH") && resource.startsWith("sobjects/")) {
            String[] parts = resource.split("/");
            patch(exchange, parts[2]);
        } else {
            send(exchange, 404, "[{\"message\":\"unsupported by the stand-in: " + method + " " + resource + "\",\"errorCode\":\"NOT_FOUND\"}]");
        }
    }

    private synchronized List<ObjectNode> query(String soql, boolean includeDeleted) {
        Matcher from = FROM.matcher(soql);
        Matcher since = SINCE.matcher(soql);
        if (!from.find() || !since.find()) {
            throw new IllegalArgumentException("the stand-in understands only FROM and SystemModstamp >= : " + soql);
        }
        Instant after = Instant.parse(since.group(1));
        var matching = new ArrayList<ObjectNode>();
        for (ObjectNode record : records.getOrDefault(from.group(1), List.of())) {
            Instant modified = OffsetDateTime.parse(record.get("SystemModstamp").asText(), MODSTAMP).toInstant();
            if (!modified.isBefore(after) && (includeDeleted || !record.get("IsDeleted").asBoolean())) {
                matching.add(record.deepCopy());
            }
        }
        matching.sort(Comparator.comparing((ObjectNode r) -> r.get("SystemModstamp").asText()).thenComparing(r -> r.get("Id").asText()));
        return matching;
    }

    private void page(HttpExchange exchange, List<ObjectNode> remaining) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        List<ObjectNode> now = remaining.subList(0, Math.min(pageSize, remaining.size()));
        List<ObjectNode> later = remaining.subList(now.size(), remaining.size());
        body.put("totalSize", remaining.size());
        body.put("done", later.isEmpty());
        if (!later.isEmpty()) {
            String locator = "01gSTANDIN" + sequence.incrementAndGet() + "-" + pageSize;
            cursors.put(locator, new ArrayList<>(later));
            body.put("nextRecordsUrl", API + "query/" + locator);
        }
        ArrayNode array = body.putArray("records");
        now.forEach(array::add);
        send(exchange, 200, JSON.writeValueAsString(body));
    }

    private synchronized void patch(HttpExchange exchange, String id) throws IOException {
        JsonNode fields = JSON.readTree(exchange.getRequestBody());
        ObjectNode record;
        try {
            record = find(id);
        } catch (IllegalArgumentException e) {
            send(exchange, 404, "[{\"message\":\"The requested resource does not exist\",\"errorCode\":\"NOT_FOUND\",\"fields\":[]}]");
            return;
        }
        patches.computeIfAbsent(id, i -> new CopyOnWriteArrayList<>()).add(fields);
        if (failingWrites.contains(id)) {
            send(exchange, 400, "[{\"message\":\"Stop processing cannot be set on a converted record\","
                    + "\"errorCode\":\"FIELD_CUSTOM_VALIDATION_EXCEPTION\",\"fields\":[\"Stop_Processing__c\"]}]");
            return;
        }
        fields.fields().forEachRemaining(f -> record.set(f.getKey(), f.getValue()));
        record.put("SystemModstamp", tick());
        exchange.sendResponseHeaders(204, -1);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    public static Map<String, Object> fields(Object... pairs) {
        var map = new HashMap<String, Object>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
