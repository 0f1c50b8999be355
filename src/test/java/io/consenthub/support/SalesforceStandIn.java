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
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local stand-in for the Salesforce REST API on 127.0.0.1, as far as camel-salesforce and the hub
 * use it, written from Salesforce's documented behaviour: the OAuth token endpoint (with its
 * {@code invalid_client_id}, {@code invalid_client} and {@code invalid_grant} answers; client
 * credentials, username/password and the JWT bearer flow, whose RS256 assertion is verified
 * against the certificate uploaded to the Connected App), every REST API version from 31.0 to
 * {@link #LATEST_VERSION} (others 404, as retired or future versions are), SOQL query and
 * queryAll with paging through nextRecordsUrl and only the selected fields returned, a field hidden
 * by field-level security ({@code INVALID_FIELD} in a query, absent from the describe), the sObject
 * describe, record PATCH, sObject Collections update (at most 200 records, one SaveResult each with
 * {@code statusCode} errors, {@code allOrNone=false}), {@code getDeleted} (deletions, including
 * records purged from the recycle bin), {@code /limits} and an {@code Sforce-Limit-Info} header on
 * every API answer, the org's request limit ({@code 403 REQUEST_LIMIT_EXCEEDED}) and maintenance
 * ({@code 503} with {@code Retry-After}), converted Leads and merged records, Person Accounts
 * (Accounts with {@code IsPersonAccount}, their {@code PersonEmail}, {@code PersonHasOptedOutOfEmail}
 * and {@code __pc} fields; business Accounts have none of them) and an object's extra condition in
 * a query ({@code Field = value} joined by AND), sObject Collections create ({@code POST}), the
 * consent objects Individual and ContactPointTypeConsent (its required Name and PartyId, its
 * restricted picklists), and 401 for an expired session. Records are held in memory; a change moves SystemModstamp as in Salesforce. Once
 * {@link #streamChanges()} is called, every change is also published as a Change Data Capture event
 * on the Streaming API ({@link SalesforceChangeEvents}, CometD at {@code /cometd/<version>}).
 *
 * <p>Bulk API 2.0 query jobs ({@code jobs/query}): a created job answers its info with state
 * {@code UploadComplete}; asked for, it is {@code InProgress} until the
 * {@link #completeBulkJobsAfter n}-th ask, then {@code JobComplete} (or {@code Failed} with an
 * {@code errorMessage} for an object {@link #failBulkQueriesOn failing}). Its results are CSV as
 * Salesforce writes them: a header row of the selected fields, every value quoted, null as an empty
 * field, booleans {@code true}/{@code false}, datetimes in UTC with {@code Z}; {@code maxRecords}
 * records per page, the next page's locator in {@code Sforce-Locator} ({@code null} after the
 * last), the page's count in {@code Sforce-NumberOfRecords}. Locators stay valid while the job
 * exists; an unknown one answers 400. The records are those matching when the job was created.
 */
public final class SalesforceStandIn implements AutoCloseable {

    /** The resource path of the default API version, as records' {@code attributes.url} name it. */
    public static final String API = "/services/data/v65.0/";
    /** The newest REST API version the stand-in org answers (Spring '26); a later one is 404 NOT_FOUND, as in Salesforce. */
    public static final String LATEST_VERSION = "66.0";
    /** The oldest version still answered: Salesforce retired 21.0 to 30.0 in Summer '25. */
    private static final double OLDEST_VERSION = 31.0;
    private static final Pattern VERSIONED = Pattern.compile("^/services/data/v(\\d{2,3}\\.\\d)/(.*)$");
    private static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    /** The user the Connected App is pre-authorised for (Permitted Users: admin approved, its profile added). */
    public static final String INTEGRATION_USER = "integration@example.com";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter MODSTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx");
    private static final Pattern SELECT = Pattern.compile("^SELECT (.+?) FROM (\\w+)(?: WHERE (.+?))?(?: ORDER BY .*)?$");
    private static final Pattern SINCE = Pattern.compile("SystemModstamp >= (\\S+)");
    private static final Pattern ID_IN = Pattern.compile("\\b(\\w+) IN \\(([^)]*)\\)");
    /** An object's extra condition, which the hub puts in parentheses in front of its own. */
    private static final Pattern FILTERED = Pattern.compile("^\\((.*)\\) AND (?:SystemModstamp >= |\\w+ IN )");
    private static final Pattern CONDITION = Pattern.compile("(\\w+)\\s*(=|!=)\\s*(true|false|null|'[^']*')", Pattern.CASE_INSENSITIVE);
    private static final Set<String> READ_ONLY = Set.of("Id", "SystemModstamp", "IsDeleted", "IsConverted", "ConvertedContactId",
            "MasterRecordId");
    private static final int DAILY_MAX = 100_000;
    /** Key prefixes of the records the stand-in creates. */
    private static final Map<String, String> KEY_PREFIX = Map.of("Individual", "0PK", "ContactPointTypeConsent", "0ZY");

    private final HttpServer server;
    private final int pageSize;
    private final Map<String, List<ObjectNode>> records = new ConcurrentHashMap<>();
    private final Map<String, List<ObjectNode>> cursors = new ConcurrentHashMap<>();
    private final Map<String, List<ObjectNode>> deletions = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> hidden = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> readOnly = new ConcurrentHashMap<>();
    private final Set<String> validTokens = ConcurrentHashMap.newKeySet();
    private final Map<String, String[]> failingWrites = new ConcurrentHashMap<>();
    private final List<Map<String, String>> logins = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Map<String, List<JsonNode>> patches = new ConcurrentHashMap<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private final AtomicInteger apiCalls = new AtomicInteger();
    private final AtomicReference<Refusal> refusing = new AtomicReference<>();
    private final SalesforceChangeEvents changeEvents = new SalesforceChangeEvents(validTokens::contains);
    private volatile boolean streaming;
    private final Map<String, BulkJob> bulkJobs = new ConcurrentHashMap<>();
    private final Map<String, String> failingBulkQueries = new ConcurrentHashMap<>();
    private volatile int bulkStatusAsksUntilComplete = 2;
    private final Set<String> apiVersions = ConcurrentHashMap.newKeySet();
    /** The version prefix of the request being answered, so a nextRecordsUrl stays on the version asked. */
    private final ThreadLocal<String> calledPrefix = ThreadLocal.withInitial(() -> API);
    private volatile Certificate connectedAppCertificate;
    private volatile String clientSecret = "test-secret";
    /** Record stamps start a day ago, one second per change, so getDeleted's window (the last 30 days) covers them. */
    private volatile Instant clock = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).minus(Duration.ofDays(1));

    /** A Bulk API 2.0 query job: its records as matched at creation, the fields selected, how often its state was asked. */
    private static final class BulkJob {
        final ObjectNode info;
        final List<String> selected;
        final List<ObjectNode> rows;
        final String failure;
        int asks;

        BulkJob(ObjectNode info, List<String> selected, List<ObjectNode> rows, String failure) {
            this.info = info;
            this.selected = selected;
            this.rows = rows;
            this.failure = failure;
        }
    }

    /** While set, every API call is refused like this. */
    private record Refusal(int status, String code, Integer retryAfterSeconds) {
    }

    public SalesforceStandIn(int pageSize) {
        this.pageSize = pageSize;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        // CometD holds a /meta/connect open while waiting for events: requests need threads of their own.
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
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
        if (objectName.equals("Account")) {
            // Person Accounts: a Contact's fields live on the Account as Person*, its custom fields as __pc.
            boolean person = Boolean.TRUE.equals(fields.get("IsPersonAccount"));
            record.put("IsPersonAccount", person);
            record.set("PersonHasOptedOutOfEmail", person ? JSON.getNodeFactory().booleanNode(false) : JSON.nullNode());
            record.set("PersonDoNotCall", person ? JSON.getNodeFactory().booleanNode(false) : JSON.nullNode());
        } else if (objectName.equals("Contact") || objectName.equals("Lead")) {
            record.put("HasOptedOutOfEmail", false);
            record.put("DoNotCall", false);
        }
        if (objectName.equals("Lead")) {
            record.put("IsConverted", false);
            record.putNull("ConvertedContactId");
        }
        record.putNull("MasterRecordId");
        fields.forEach((name, value) -> record.set(name, JSON.valueToTree(value)));
        record.put("SystemModstamp", tick());
        records.computeIfAbsent(objectName, o -> new CopyOnWriteArrayList<>()).add(record);
        if (streaming) {
            var body = new LinkedHashMap<String, JsonNode>();
            record.fields().forEachRemaining(field -> {
                if (!Set.of("attributes", "Id", "SystemModstamp").contains(field.getKey()) && !field.getValue().isNull()) {
                    body.put(field.getKey(), field.getValue());
                }
            });
            publish(record, "CREATE", body, null);
        }
    }

    /** From now on every change is published as a Change Data Capture event too. */
    public void streamChanges() {
        streaming = true;
    }

    /** The Streaming API's side: published events, subscriptions received. */
    public SalesforceChangeEvents changeEvents() {
        return changeEvents;
    }

    /**
     * Publishes a change event as Salesforce builds it: a part of a compound field nested under the
     * compound ({@code Name.FirstName}, {@code MailingAddress.Country}, a Lead's
     * {@code Address.Country}) and named so in changedFields, LastModifiedDate with every create
     * and update, committed when the record's SystemModstamp says.
     */
    private void publish(ObjectNode record, String changeType, Map<String, JsonNode> fields, String origin) {
        String objectName = record.path("attributes").path("type").asText();
        var body = new LinkedHashMap<String, JsonNode>();
        var changed = new ArrayList<String>();
        fields.forEach((field, value) -> {
            String[] compound = compoundOf(objectName, field);
            if (compound == null) {
                body.put(field, value);
                changed.add(field);
            } else {
                ((ObjectNode) body.computeIfAbsent(compound[0], c -> JSON.createObjectNode())).set(compound[1], value);
                changed.add(compound[0] + "." + compound[1]);
            }
        });
        if (!changeType.equals("DELETE")) {
            body.put("LastModifiedDate", record.get("SystemModstamp"));
            changed.add("LastModifiedDate");
        }
        Instant committed = OffsetDateTime.parse(record.get("SystemModstamp").asText(), MODSTAMP).toInstant();
        changeEvents.publish(objectName, record.get("Id").asText(), changeType, body, changed, committed, origin);
    }

    private static final Set<String> NAME_PARTS = Set.of("Salutation", "FirstName", "MiddleName", "LastName", "Suffix");
    private static final List<String> ADDRESS_PARTS = List.of("Street", "City", "State", "PostalCode", "Country");

    /** The compound field and part a field belongs to in change events, or null. */
    private static String[] compoundOf(String objectName, String field) {
        if (NAME_PARTS.contains(field) && Set.of("Contact", "Lead").contains(objectName)) {
            return new String[] {"Name", field};
        }
        for (String part : ADDRESS_PARTS) {
            if (field.endsWith(part)) {
                String prefix = field.substring(0, field.length() - part.length());
                if (objectName.equals("Contact") && Set.of("Mailing", "Other").contains(prefix)
                        || objectName.equals("Lead") && prefix.isEmpty()
                        || objectName.equals("Account") && Set.of("Billing", "Shipping", "PersonMailing", "PersonOther").contains(prefix)) {
                    return new String[] {prefix + "Address", part};
                }
            }
        }
        return null;
    }

    /** The fields of a write whose values differ from the record's: Salesforce sends no event for a write that changes nothing. */
    private static Map<String, JsonNode> changedFields(ObjectNode record, Map<String, JsonNode> fields) {
        var changed = new LinkedHashMap<String, JsonNode>();
        fields.forEach((name, value) -> {
            JsonNode before = record.get(name);
            if (before == null ? !value.isNull() : !before.equals(value)) {
                changed.put(name, value);
            }
        });
        return changed;
    }

    private static Map<String, JsonNode> fieldsOf(JsonNode fields) {
        var map = new LinkedHashMap<String, JsonNode>();
        fields.fields().forEachRemaining(f -> map.put(f.getKey(), f.getValue()));
        return map;
    }

    private static Map<String, JsonNode> json(Map<String, Object> fields) {
        var body = new LinkedHashMap<String, JsonNode>();
        fields.forEach((name, value) -> body.put(name, JSON.valueToTree(value)));
        return body;
    }

    /**
     * Adds a record whose transaction committed late: its SystemModstamp lies {@code before} behind
     * the newest stamp in the org (a long transaction or a bulk load), as Salesforce stamps the
     * start of the change, not its commit.
     */
    public synchronized void addCommittedLate(String objectName, String id, Map<String, Object> fields, Duration before) {
        add(objectName, id, fields);
        ObjectNode record = find(id);
        record.put("SystemModstamp", OffsetDateTime.ofInstant(clock.minus(before), ZoneOffset.UTC).format(MODSTAMP));
    }

    /** Changes fields of a record as a Salesforce user would, moving its SystemModstamp. */
    public synchronized void change(String id, Map<String, Object> fields) {
        change(id, fields, "UPDATE");
    }

    private void change(String id, Map<String, Object> fields, String changeType) {
        ObjectNode record = find(id);
        Map<String, JsonNode> changed = changedFields(record, json(fields));
        fields.forEach((name, value) -> record.set(name, JSON.valueToTree(value)));
        record.put("SystemModstamp", tick());
        if (streaming && (changeType.equals("DELETE") || !changed.isEmpty())) {
            publish(record, changeType, changeType.equals("DELETE") ? Map.of() : changed, null);
        }
    }

    /** Converts a Lead as Salesforce's Convert does: a new Contact, the Lead marked IsConverted with its ConvertedContactId. */
    public synchronized void convertLead(String leadId, String contactId, Map<String, Object> contactFields) {
        add("Contact", contactId, contactFields);
        change(leadId, fields("IsConverted", true, "ConvertedContactId", contactId));
    }

    /** Merges {@code loserId} into {@code masterId}: the loser is deleted with MasterRecordId set, the master changed. */
    public synchronized void merge(String masterId, String loserId) {
        change(masterId, Map.of());
        change(loserId, fields("IsDeleted", true, "MasterRecordId", masterId), "DELETE");
        logDeletion(loserId);
    }

    /** Deletes a record and empties the recycle bin: queryAll no longer returns it, getDeleted still names it. */
    public synchronized void deleteAndPurge(String id) {
        ObjectNode record = find(id);
        logDeletion(id);
        records.get(record.path("attributes").path("type").asText()).remove(record);
        if (streaming) {
            record.put("SystemModstamp", tick());
            publish(record, "DELETE", Map.of(), null);
        }
    }

    private void logDeletion(String id) {
        ObjectNode record = find(id);
        ObjectNode deletion = JSON.createObjectNode();
        deletion.put("id", id);
        deletion.put("deletedDate", tick());
        deletions.computeIfAbsent(record.path("attributes").path("type").asText(), o -> new CopyOnWriteArrayList<>()).add(deletion);
    }

    public JsonNode record(String id) {
        return find(id);
    }

    /** Field-level security hides the field from the integration user: not described, INVALID_FIELD in a query. */
    public void hideField(String objectName, String field) {
        hidden.computeIfAbsent(objectName, o -> ConcurrentHashMap.newKeySet()).add(field);
    }

    public void showField(String objectName, String field) {
        hidden.getOrDefault(objectName, Set.of()).remove(field);
    }

    /** The integration user may read the field but not edit it (described with updateable false). */
    public void makeReadOnly(String objectName, String field) {
        readOnly.computeIfAbsent(objectName, o -> ConcurrentHashMap.newKeySet()).add(field);
    }

    public void expireSessions() {
        validTokens.clear();
    }

    public void changeClientSecret(String secret) {
        clientSecret = secret;
    }

    /** Uploads the certificate the Connected App verifies JWT bearer assertions with ("Use digital signatures"). */
    public void uploadCertificate(Certificate certificate) {
        connectedAppCertificate = certificate;
    }

    /** The REST API versions requests were made to (the {@code vNN.N} of {@code /services/data/vNN.N/}). */
    public Set<String> apiVersions() {
        return Set.copyOf(apiVersions);
    }

    /** Writes to the record fail with a validation rule's error on Stop_Processing__c. */
    public void failWritesTo(String id) {
        failWritesTo(id, "FIELD_CUSTOM_VALIDATION_EXCEPTION", "Stop_Processing__c");
    }

    /** Writes to the record fail with this error code (and fields). */
    public void failWritesTo(String id, String code, String... fields) {
        String[] error = new String[fields.length + 1];
        error[0] = code;
        System.arraycopy(fields, 0, error, 1, fields.length);
        failingWrites.put(id, error);
    }

    public void acceptWritesTo(String id) {
        failingWrites.remove(id);
    }

    /** The org's daily API request limit is reached: every API call answers 403 REQUEST_LIMIT_EXCEEDED until {@link #acceptCalls}. */
    public void refuseCallsForTheLimit() {
        refusing.set(new Refusal(403, "REQUEST_LIMIT_EXCEEDED", null));
    }

    /** The org is down for maintenance: every API call answers 503 with this Retry-After until {@link #acceptCalls}. */
    public void refuseCallsAsUnavailable(int retryAfterSeconds) {
        refusing.set(new Refusal(503, "SERVER_UNAVAILABLE", retryAfterSeconds));
    }

    /** Bulk API 2.0 query jobs on this object end {@code Failed} with this errorMessage (as Salesforce's own). */
    public void failBulkQueriesOn(String objectName, String errorMessage) {
        failingBulkQueries.put(objectName, errorMessage);
    }

    public void acceptBulkQueriesOn(String objectName) {
        failingBulkQueries.remove(objectName);
    }

    /** A query job is complete at the {@code asks}-th request for its state (before: InProgress). */
    public void completeBulkJobsAfter(int asks) {
        bulkStatusAsksUntilComplete = asks;
    }

    /** The Bulk API 2.0 query jobs created so far. */
    public int bulkJobsCreated() {
        return bulkJobs.size();
    }

    public void acceptCalls() {
        refusing.set(null);
    }

    public List<Map<String, String>> logins() {
        return List.copyOf(logins);
    }

    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** API calls (everything below /services/data/, logins excluded) answered so far, refused ones included. */
    public int apiCalls() {
        return apiCalls.get();
    }

    /** The requests for record changes: single PATCHes and sObject Collections calls. */
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
        // Not try-with-resources: the exchange must still be open for the 500 below.
        try {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            requests.add(method + " " + exchange.getRequestURI());
            if (path.equals("/services/oauth2/token") && method.equals("POST")) {
                login(exchange);
            } else if (path.equals("/services/oauth2/revoke")) {
                send(exchange, 200, "{}");
            } else if (path.startsWith("/cometd/") && method.equals("POST")) {
                String answer = changeEvents.answer(exchange.getRequestHeaders().getFirst("Authorization"),
                        exchange.getRequestBody().readAllBytes());
                send(exchange, 200, answer);
            } else if (path.startsWith("/services/data/")) {
                Matcher versioned = VERSIONED.matcher(path);
                if (!versioned.matches() || !supported(versioned.group(1))) {
                    send(exchange, 404, "[{\"message\":\"The requested resource does not exist\",\"errorCode\":\"NOT_FOUND\"}]");
                    return;
                }
                apiVersions.add(versioned.group(1));
                calledPrefix.set("/services/data/v" + versioned.group(1) + "/");
                apiCalls.incrementAndGet();
                exchange.getResponseHeaders().set("Sforce-Limit-Info", "api-usage=" + apiCalls.get() + "/" + DAILY_MAX);
                String auth = exchange.getRequestHeaders().getFirst("Authorization");
                if (auth == null || !validTokens.contains(auth.replaceFirst("^Bearer ", ""))) {
                    send(exchange, 401, "[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]");
                    return;
                }
                Refusal refusal = refusing.get();
                if (refusal != null) {
                    if (refusal.retryAfterSeconds() != null) {
                        exchange.getResponseHeaders().set("Retry-After", String.valueOf(refusal.retryAfterSeconds()));
                    }
                    send(exchange, refusal.status(), "[{\"message\":\"refused by the stand-in\",\"errorCode\":\"" + refusal.code() + "\"}]");
                    return;
                }
                api(exchange, versioned.group(2), method);
            } else {
                send(exchange, 404, "[{\"message\":\"The requested resource does not exist\",\"errorCode\":\"NOT_FOUND\"}]");
            }
        } catch (RuntimeException e) {
            send(exchange, 500, "[{\"message\":\"" + e.getClass().getSimpleName() + "\",\"errorCode\":\"UNKNOWN_EXCEPTION\"}]");
        } finally {
            exchange.close();
        }
    }

    private void login(HttpExchange exchange) throws IOException {
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        logins.add(form);
        if (JWT_BEARER.equals(form.get("grant_type"))) {
            jwtLogin(exchange, form.get("assertion"));
            return;
        }
        if (!"test-client".equals(form.get("client_id"))) {
            send(exchange, 400, "{\"error\":\"invalid_client_id\",\"error_description\":\"client identifier invalid\"}");
            return;
        }
        if (!clientSecret.equals(form.get("client_secret"))) {
            send(exchange, 400, "{\"error\":\"invalid_client\",\"error_description\":\"invalid client credentials\"}");
            return;
        }
        if ("password".equals(form.get("grant_type")) && !"s3cret-and-token".equals(form.get("password"))) {
            send(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"authentication failure\"}");
            return;
        }
        grantToken(exchange);
    }

    /** A session for the integration user: the token endpoint's success answer. */
    private void grantToken(HttpExchange exchange) throws IOException {
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

    /**
     * The JWT bearer flow as Salesforce documents it: the assertion is
     * {@code base64url(header).base64url(claims).base64url(signature)}, RS256-signed with the key of
     * the certificate uploaded to the Connected App; {@code iss} is its consumer key, {@code sub}
     * a user the app is pre-authorised for, {@code aud} https://login.salesforce.com or
     * https://test.salesforce.com (the authorization servers Salesforce names), {@code exp} (seconds since
     * the epoch, as a number or a numeric string) in the future. No client secret is sent.
     */
    private void jwtLogin(HttpExchange exchange, String assertion) throws IOException {
        String[] parts = assertion == null ? new String[0] : assertion.split("\\.", -1);
        JsonNode header;
        JsonNode claims;
        byte[] signature;
        try {
            if (parts.length != 3) {
                throw new IllegalArgumentException("not three parts");
            }
            header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            signature = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException | IOException e) {
            send(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"invalid assertion\"}");
            return;
        }
        if (!"RS256".equals(header.path("alg").asText()) || !signedByTheConnectedApp(parts[0] + "." + parts[1], signature)) {
            send(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"invalid assertion\"}");
            return;
        }
        if (!"test-client".equals(claims.path("iss").asText())) {
            send(exchange, 400, "{\"error\":\"invalid_client_id\",\"error_description\":\"client identifier invalid\"}");
            return;
        }
        if (!Set.of("https://login.salesforce.com", "https://test.salesforce.com").contains(claims.path("aud").asText())) {
            send(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"audience is invalid\"}");
            return;
        }
        String exp = claims.path("exp").asText("");
        if (!exp.matches("\\d{1,12}") || Long.parseLong(exp) <= Instant.now().getEpochSecond()) {
            send(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"expired authorization code\"}");
            return;
        }
        if (!INTEGRATION_USER.equals(claims.path("sub").asText())) {
            send(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"user hasn't approved this consumer\"}");
            return;
        }
        grantToken(exchange);
    }

    private boolean signedByTheConnectedApp(String signed, byte[] signature) {
        Certificate certificate = connectedAppCertificate;
        if (certificate == null) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(certificate);
            verifier.update(signed.getBytes(StandardCharsets.US_ASCII));
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean supported(String version) {
        double asked = Double.parseDouble(version);
        return asked >= OLDEST_VERSION && asked <= Double.parseDouble(LATEST_VERSION);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
            }
        }
        return form;
    }

    private void api(HttpExchange exchange, String resource, String method) throws IOException {
        String[] parts = resource.split("/");
        if (method.equals("GET") && (resource.equals("query/") || resource.equals("queryAll/"))) {
            String soql = decode(exchange.getRequestURI().getRawQuery().replaceFirst("^q=", ""));
            String invalid = invalidField(soql);
            if (invalid != null) {
                send(exchange, 400, "[{\"message\":\"No such column '" + invalid + "'\",\"errorCode\":\"INVALID_FIELD\"}]");
                return;
            }
            page(exchange, query(soql, resource.startsWith("queryAll")));
        } else if (method.equals("GET") && (resource.startsWith("query/") || resource.startsWith("queryAll/"))) {
            String locator = resource.substring(resource.indexOf('/') + 1);
            List<ObjectNode> rest = cursors.remove(locator);
            if (rest == null) {
                send(exchange, 400, "[{\"message\":\"invalid query locator\",\"errorCode\":\"INVALID_QUERY_LOCATOR\"}]");
                return;
            }
            page(exchange, rest);
        } else if (method.equals("POST") && resource.equals("jobs/query")) {
            createBulkJob(exchange);
        } else if (method.equals("GET") && parts.length == 3 && parts[0].equals("jobs") && parts[1].equals("query")) {
            bulkJobInfo(exchange, parts[2]);
        } else if (method.equals("GET") && parts.length == 4 && parts[0].equals("jobs") && parts[1].equals("query")
                && parts[3].equals("results")) {
            bulkResults(exchange, parts[2]);
        } else if (method.equals("GET") && parts.length == 3 && parts[0].equals("sobjects") && parts[2].equals("describe")) {
            send(exchange, 200, JSON.writeValueAsString(describe(parts[1])));
        } else if (method.equals("GET") && parts.length == 3 && parts[0].equals("sobjects") && parts[2].equals("deleted")) {
            send(exchange, 200, JSON.writeValueAsString(deleted(parts[1], exchange.getRequestURI().getRawQuery())));
        } else if (method.equals("GET") && (resource.equals("limits/") || resource.equals("limits"))) {
            ObjectNode limits = JSON.createObjectNode();
            limits.putObject("DailyApiRequests").put("Max", DAILY_MAX).put("Remaining", DAILY_MAX - apiCalls.get());
            send(exchange, 200, JSON.writeValueAsString(limits));
        } else if (method.equals("PATCH") && resource.equals("composite/sobjects")) {
            collection(exchange);
        } else if (method.equals("POST") && resource.equals("composite/sobjects")) {
            create(exchange);
        } else if (method.equals("PATCH") && parts.length == 3 && parts[0].equals("sobjects")) {
            patch(exchange, parts[2]);
        } else {
            send(exchange, 404, "[{\"message\":\"unsupported by the stand-in: " + method + " " + resource + "\",\"errorCode\":\"NOT_FOUND\"}]");
        }
    }

    private void createBulkJob(HttpExchange exchange) throws IOException {
        JsonNode request = JSON.readTree(exchange.getRequestBody());
        String operation = request.path("operation").asText();
        String soql = request.path("query").asText();
        if (!operation.equals("query") && !operation.equals("queryAll")) {
            send(exchange, 400, "[{\"message\":\"operation must be query or queryAll\",\"errorCode\":\"INVALIDJOB\"}]");
            return;
        }
        String invalid = invalidField(soql);
        if (invalid != null) {
            send(exchange, 400, "[{\"message\":\"No such column '" + invalid + "'\",\"errorCode\":\"INVALID_FIELD\"}]");
            return;
        }
        Matcher select = SELECT.matcher(soql);
        if (!select.matches()) {
            send(exchange, 400, "[{\"message\":\"unexpected query\",\"errorCode\":\"MALFORMED_QUERY\"}]");
            return;
        }
        String objectName = select.group(2);
        List<ObjectNode> rows = query(soql, operation.equals("queryAll"));
        String now = OffsetDateTime.now(ZoneOffset.UTC).format(MODSTAMP);
        String id = String.format("750STANDIN%05dAAA", sequence.incrementAndGet());
        ObjectNode info = JSON.createObjectNode();
        info.put("id", id).put("operation", operation).put("object", objectName).put("createdById", "005000000000001AAA")
                .put("createdDate", now).put("systemModstamp", now).put("state", "UploadComplete")
                .put("concurrencyMode", "Parallel").put("contentType", "CSV").put("apiVersion", Double.parseDouble(calledVersion()))
                .put("lineEnding", "LF").put("columnDelimiter", "COMMA");
        bulkJobs.put(id, new BulkJob(info, List.of(select.group(1).split(",\\s*")), rows, failingBulkQueries.get(objectName)));
        send(exchange, 200, JSON.writeValueAsString(info));
    }

    private void bulkJobInfo(HttpExchange exchange, String id) throws IOException {
        BulkJob job = bulkJobs.get(id);
        if (job == null) {
            send(exchange, 404, "[{\"message\":\"The requested resource does not exist\",\"errorCode\":\"NOT_FOUND\"}]");
            return;
        }
        synchronized (job) {
            job.asks++;
            if (job.asks < bulkStatusAsksUntilComplete) {
                job.info.put("state", "InProgress");
            } else if (job.failure != null) {
                job.info.put("state", "Failed").put("errorMessage", job.failure);
            } else {
                job.info.put("state", "JobComplete").put("numberRecordsProcessed", job.rows.size()).put("retries", 0)
                        .put("totalProcessingTime", 100);
            }
            send(exchange, 200, JSON.writeValueAsString(job.info));
        }
    }

    private void bulkResults(HttpExchange exchange, String id) throws IOException {
        BulkJob job = bulkJobs.get(id);
        if (job == null) {
            send(exchange, 404, "[{\"message\":\"The requested resource does not exist\",\"errorCode\":\"NOT_FOUND\"}]");
            return;
        }
        if (!"JobComplete".equals(job.info.path("state").asText())) {
            send(exchange, 400, "[{\"message\":\"the job is not complete\",\"errorCode\":\"INVALIDJOBSTATE\"}]");
            return;
        }
        Map<String, String> params = form(exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery());
        int from = 0;
        if (params.containsKey("locator")) {
            try {
                from = Integer.parseInt(new String(java.util.Base64.getDecoder().decode(params.get("locator")), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                from = -1;
            }
            if (from <= 0 || from >= job.rows.size()) {
                send(exchange, 400, "[{\"message\":\"Invalid locator\",\"errorCode\":\"INVALID_QUERY_LOCATOR\"}]");
                return;
            }
        }
        int max = params.containsKey("maxRecords") ? Integer.parseInt(params.get("maxRecords")) : job.rows.size();
        int to = Math.min(job.rows.size(), from + max);
        var csv = new StringBuilder(String.join(",", job.selected.stream().map(SalesforceStandIn::quoted).toList())).append('\n');
        for (ObjectNode row : job.rows.subList(from, to)) {
            csv.append(String.join(",", job.selected.stream().map(field -> quoted(csvValue(field, row.get(field)))).toList())).append('\n');
        }
        exchange.getResponseHeaders().set("Sforce-Locator", to < job.rows.size()
                ? java.util.Base64.getEncoder().withoutPadding().encodeToString(String.valueOf(to).getBytes(StandardCharsets.UTF_8)) : "null");
        exchange.getResponseHeaders().set("Sforce-NumberOfRecords", String.valueOf(to - from));
        byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/csv");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** A value as Bulk API 2.0 writes it: null empty, datetimes in UTC with Z. */
    private static String csvValue(String field, JsonNode value) {
        if (value == null || value.isNull()) {
            return "";
        }
        if (field.equals("SystemModstamp")) {
            return OffsetDateTime.parse(value.asText(), MODSTAMP).withOffsetSameInstant(ZoneOffset.UTC)
                    .format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"));
        }
        return value.asText();
    }

    private static String quoted(String value) {
        return "\"" + value.replace("\"", "\"\"") + "\"";
    }

    private String invalidField(String soql) {
        Matcher select = SELECT.matcher(soql);
        if (!select.matches()) {
            return null;
        }
        Set<String> hiddenHere = hidden.getOrDefault(select.group(2), Set.of());
        return Arrays.stream(select.group(1).split(",\\s*")).filter(hiddenHere::contains).findFirst().orElse(null);
    }

    private synchronized ObjectNode describe(String objectName) {
        var names = new LinkedHashSet<String>(List.of("Id", "IsDeleted", "SystemModstamp", "HasOptedOutOfEmail", "MasterRecordId",
                "Email", "FirstName", "LastName", "Phone", "MailingCountry", "Email_Opt_In_Status__c", "Stop_Processing__c",
                "Erasure_Requested__c", "Newsletter_Consent__c", "Share_With_Acme__c"));
        if (objectName.equals("Lead")) {
            names.addAll(List.of("IsConverted", "ConvertedContactId", "Company", "Country"));
        }
        if (objectName.equals("Account")) {
            names.clear();
            names.addAll(List.of("Id", "IsDeleted", "SystemModstamp", "MasterRecordId", "Name", "IsPersonAccount",
                    "PersonEmail", "PersonHasOptedOutOfEmail", "PersonDoNotCall", "FirstName", "LastName", "Phone",
                    "PersonMailingCountry", "Email_Opt_In_Status__pc", "Stop_Processing__pc", "Erasure_Requested__pc",
                    "Newsletter_Consent__pc"));
        } else {
            names.add("DoNotCall");
        }
        records.getOrDefault(objectName, List.of()).forEach(record -> record.fieldNames().forEachRemaining(names::add));
        names.remove("attributes");
        names.removeAll(hidden.getOrDefault(objectName, Set.of()));
        ObjectNode describe = JSON.createObjectNode();
        describe.put("name", objectName);
        ArrayNode fields = describe.putArray("fields");
        for (String name : names) {
            fields.addObject().put("name", name).put("updateable",
                    !READ_ONLY.contains(name) && !readOnly.getOrDefault(objectName, Set.of()).contains(name));
        }
        return describe;
    }

    private synchronized ObjectNode deleted(String objectName, String rawQuery) {
        Map<String, String> params = form(rawQuery == null ? "" : rawQuery);
        Instant start = Instant.parse(params.get("start"));
        Instant end = Instant.parse(params.get("end"));
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode deleted = answer.putArray("deletedRecords");
        for (ObjectNode deletion : deletions.getOrDefault(objectName, List.of())) {
            Instant at = OffsetDateTime.parse(deletion.get("deletedDate").asText(), MODSTAMP).toInstant();
            if (!at.isBefore(start) && !at.isAfter(end)) {
                deleted.add(deletion.deepCopy());
            }
        }
        answer.put("earliestDateAvailable", params.get("start"));
        answer.put("latestDateCovered", params.get("end"));
        return answer;
    }

    private synchronized List<ObjectNode> query(String soql, boolean includeDeleted) {
        Matcher select = SELECT.matcher(soql);
        if (!select.matches() || select.group(3) == null) {
            throw new IllegalArgumentException("the stand-in understands SELECT ... FROM ... WHERE");
        }
        List<String> selected = Arrays.asList(select.group(1).split(",\\s*"));
        Matcher filtered = FILTERED.matcher(select.group(3));
        String filter = filtered.find() ? filtered.group(1) : null;
        Matcher since = SINCE.matcher(select.group(3));
        Matcher ids = ID_IN.matcher(select.group(3));
        Instant after = since.find() ? Instant.parse(since.group(1)) : null;
        boolean listed = ids.find();
        String listField = listed ? ids.group(1) : null;
        Set<String> wanted = listed ? new LinkedHashSet<>(Arrays.stream(ids.group(2).split(",\\s*"))
                .map(id -> id.replace("'", "")).toList()) : null;
        if (after == null && wanted == null) {
            throw new IllegalArgumentException("the stand-in understands SystemModstamp >= and Id IN: " + soql);
        }
        var matching = new ArrayList<ObjectNode>();
        var sources = new ArrayList<>(records.getOrDefault(select.group(2), List.of()));
        // In the order the hub's queries ask for (ORDER BY SystemModstamp, Id), whatever is selected.
        sources.sort(Comparator.comparing((ObjectNode r) -> r.get("SystemModstamp").asText()).thenComparing(r -> r.get("Id").asText()));
        for (ObjectNode record : sources) {
            Instant modified = OffsetDateTime.parse(record.get("SystemModstamp").asText(), MODSTAMP).toInstant();
            boolean inRange = after == null || !modified.isBefore(after);
            boolean named = wanted == null || wanted.contains(record.path(listField).asText());
            if (inRange && named && (filter == null || matches(record, filter)) && (includeDeleted || !record.get("IsDeleted").asBoolean())) {
                ObjectNode projected = JSON.createObjectNode();
                projected.set("attributes", record.get("attributes"));
                selected.forEach(field -> projected.set(field, record.has(field) ? record.get(field) : JSON.nullNode()));
                matching.add(projected);
            }
        }
        return matching;
    }

    /** An extra condition as the hub sends it: {@code Field = value} or {@code Field != value}, joined by AND. */
    private static boolean matches(ObjectNode record, String filter) {
        for (String condition : filter.split("(?i)\\s+AND\\s+")) {
            Matcher comparison = CONDITION.matcher(condition.trim());
            if (!comparison.matches()) {
                throw new IllegalArgumentException("the stand-in understands Field = value and Field != value joined by AND: " + filter);
            }
            String literal = comparison.group(3);
            JsonNode value = record.get(comparison.group(1));
            boolean equal;
            if (literal.equalsIgnoreCase("null")) {
                equal = value == null || value.isNull();
            } else if (literal.equalsIgnoreCase("true") || literal.equalsIgnoreCase("false")) {
                equal = value != null && value.isBoolean() && value.asBoolean() == Boolean.parseBoolean(literal.toLowerCase());
            } else {
                equal = value != null && !value.isNull() && value.asText().equals(literal.replaceAll("^'|'$", ""));
            }
            if (equal != comparison.group(2).equals("=")) {
                return false;
            }
        }
        return true;
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
            body.put("nextRecordsUrl", calledPrefix.get() + "query/" + locator);
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
        String[] error = writeError(record);
        if (error != null) {
            send(exchange, 400, "[{\"message\":\"refused\",\"errorCode\":\"" + error[0] + "\",\"fields\":"
                    + JSON.writeValueAsString(Arrays.copyOfRange(error, 1, error.length)) + "}]");
            return;
        }
        Map<String, JsonNode> changed = changedFields(record, fieldsOf(fields));
        fields.fields().forEachRemaining(f -> record.set(f.getKey(), f.getValue()));
        record.put("SystemModstamp", tick());
        publishApiWrite(record, changed);
        exchange.sendResponseHeaders(204, -1);
    }

    /** sObject Collections update: every record on its own (allOrNone false), one SaveResult each, in order. */
    private synchronized void collection(HttpExchange exchange) throws IOException {
        JsonNode request = JSON.readTree(exchange.getRequestBody());
        JsonNode list = request.path("records");
        if (list.size() > 200) {
            send(exchange, 400, "[{\"message\":\"more than 200 records\",\"errorCode\":\"EXCEEDED_ID_LIMIT\"}]");
            return;
        }
        ArrayNode results = JSON.createArrayNode();
        for (JsonNode item : list) {
            String id = item.path("id").asText();
            ObjectNode result = results.addObject();
            ObjectNode record;
            try {
                record = find(id);
            } catch (IllegalArgumentException e) {
                failed(result, "ENTITY_IS_DELETED");
                continue;
            }
            ObjectNode fields = ((ObjectNode) item).deepCopy();
            fields.remove("attributes");
            fields.remove("id");
            patches.computeIfAbsent(id, i -> new CopyOnWriteArrayList<>()).add(fields);
            String[] error = writeError(record);
            if (error == null) {
                error = picklistError(fields);
            }
            if (error != null) {
                failed(result, error);
                continue;
            }
            Map<String, JsonNode> changed = changedFields(record, fieldsOf(fields));
            fields.fields().forEachRemaining(f -> record.set(f.getKey(), f.getValue()));
            record.put("SystemModstamp", tick());
            publishApiWrite(record, changed);
            result.put("id", id).put("success", true).putArray("errors");
        }
        send(exchange, 200, JSON.writeValueAsString(results));
    }

    /** A write through the REST API is a change like any other; its event names the API client as origin. */
    private void publishApiWrite(ObjectNode record, Map<String, JsonNode> changed) {
        if (streaming && !changed.isEmpty()) {
            publish(record, "UPDATE", changed, "com/salesforce/api/rest/" + calledVersion() + ";client=test-client");
        }
    }

    /**
     * sObject Collections create: every record on its own, one SaveResult each with the new Id.
     * A ContactPointTypeConsent needs its Name and a PartyId naming an Individual, and takes only
     * the documented picklist values for PrivacyConsentStatus and ContactPointType.
     */
    private synchronized void create(HttpExchange exchange) throws IOException {
        JsonNode list = JSON.readTree(exchange.getRequestBody()).path("records");
        if (list.size() > 200) {
            send(exchange, 400, "[{\"message\":\"more than 200 records\",\"errorCode\":\"EXCEEDED_ID_LIMIT\"}]");
            return;
        }
        ArrayNode results = JSON.createArrayNode();
        for (JsonNode item : list) {
            ObjectNode result = results.addObject();
            String type = item.path("attributes").path("type").asText();
            String[] error = createError(type, item);
            if (error != null) {
                failed(result, error);
                continue;
            }
            String id = KEY_PREFIX.getOrDefault(type, "a00") + String.format("%012dAAA", sequence.incrementAndGet());
            var fields = new LinkedHashMap<String, Object>();
            item.fields().forEachRemaining(f -> {
                if (!f.getKey().equals("attributes")) {
                    fields.put(f.getKey(), JSON.convertValue(f.getValue(), Object.class));
                }
            });
            add(type, id, fields);
            result.put("id", id).put("success", true).putArray("errors");
        }
        send(exchange, 200, JSON.writeValueAsString(results));
    }

    private String[] createError(String type, JsonNode item) {
        if (!type.equals("ContactPointTypeConsent")) {
            return null;
        }
        if (item.path("Name").asText("").isBlank()) {
            return new String[] {"REQUIRED_FIELD_MISSING", "Name"};
        }
        String party = item.path("PartyId").asText("");
        if (records.getOrDefault("Individual", List.of()).stream().noneMatch(r -> r.get("Id").asText().equals(party))) {
            return new String[] {"INVALID_CROSS_REFERENCE_KEY", "PartyId"};
        }
        return picklistError(item);
    }

    private static String[] picklistError(JsonNode item) {
        if (item.has("PrivacyConsentStatus") && !Set.of("OptIn", "OptOut", "NotSeen", "Seen").contains(item.get("PrivacyConsentStatus").asText())) {
            return new String[] {"INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "PrivacyConsentStatus"};
        }
        if (item.has("ContactPointType") && !Set.of("Email", "Phone", "Web", "Social", "MailingAddress").contains(item.get("ContactPointType").asText())) {
            return new String[] {"INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "ContactPointType"};
        }
        return null;
    }

    /** The records of one object as they now are (created ones included). */
    public List<JsonNode> records(String objectName) {
        return records.getOrDefault(objectName, List.of()).stream().map(r -> (JsonNode) r.deepCopy()).toList();
    }

    /** The API version of the request being answered, e.g. {@code 65.0}. */
    private String calledVersion() {
        String prefix = calledPrefix.get();
        return prefix.substring("/services/data/v".length(), prefix.length() - 1);
    }

    private String[] writeError(ObjectNode record) {
        if (record.path("IsDeleted").asBoolean()) {
            return new String[] {"ENTITY_IS_DELETED"};
        }
        if (record.path("IsConverted").asBoolean()) {
            return new String[] {"CANNOT_UPDATE_CONVERTED_LEAD"};
        }
        return failingWrites.get(record.get("Id").asText());
    }

    private static void failed(ObjectNode result, String... error) {
        result.put("success", false);
        ObjectNode detail = result.putArray("errors").addObject();
        detail.put("statusCode", error[0]).put("message", "refused by the stand-in");
        ArrayNode fields = detail.putArray("fields");
        Arrays.stream(error).skip(1).forEach(fields::add);
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
