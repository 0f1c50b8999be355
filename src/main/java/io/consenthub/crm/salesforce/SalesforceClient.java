package io.consenthub.crm.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.consenthub.crm.CrmSettings;
import io.consenthub.crm.FailureText;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.salesforce.AuthenticationType;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.SalesforceEndpointConfig;
import org.apache.camel.component.salesforce.SalesforceHttpClient;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.dto.RestError;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.transport.HttpConversation;
import org.eclipse.jetty.client.transport.HttpRequest;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The camel-salesforce calls the connector makes, one Salesforce component per connector
 * ({@code sf-<connectorId>}), created on first use. camel-salesforce does the OAuth login
 * (client credentials, username/password or the JWT bearer flow) and, on a 401 from an expired
 * session, logs in again and repeats the request. Payloads are raw JSON, so no generated DTOs are needed.
 *
 * <p>Every call is limits-aware: the component's HTTP client notes each response's
 * {@code Sforce-Limit-Info} (the org's daily usage), {@code Retry-After} and counts the API calls
 * per UTC day; while the org is held off (its request limit reached, unavailable, the login
 * refused, or the hub's share of the daily allowance used) a call is not sent but fails at once with
 * {@link SalesforceErrors.Kind#LIMIT}. Failures are {@link SalesforceCallException}s that name
 * the HTTP status, Salesforce's error codes and fields, and their {@link SalesforceErrors.Kind}.
 */
@Component
class SalesforceClient {

    private static final Logger log = LoggerFactory.getLogger(SalesforceClient.class);
    private static final Pattern API_USAGE = Pattern.compile("api-usage=(\\d+)/(\\d+)");
    private static final Pattern ERROR_CODE = Pattern.compile("\"errorCode\"\\s*:\\s*\"([A-Z_]{1,64})\"");
    private static final Pattern LOGIN_ERROR = Pattern.compile("Login error code:\\[([A-Za-z_]{1,64})\\]");
    private static final DateTimeFormatter ISO_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");
    /** The largest answer the client takes (a Bulk API 2.0 result page is the largest the hub asks for). */
    static final int MAX_ANSWER_BYTES = 64 * 1024 * 1024;
    /** Salesforce names no time for a 503 without Retry-After; the hub waits this long. */
    static final Duration UNAVAILABLE_BACKOFF = Duration.ofSeconds(30);

    private final CamelContext camel;
    private final ProducerTemplate producer;
    private final ObjectMapper json;
    private final SalesforceState state;
    private final Clock clock;
    private final SalesforceMetrics metrics;
    private final Map<String, Traffic> traffic = new ConcurrentHashMap<>();

    SalesforceClient(CamelContext camel, ObjectMapper json, SalesforceState state, Clock clock, SalesforceMetrics metrics) {
        this.metrics = metrics;
        this.camel = camel;
        this.producer = camel.createProducerTemplate();
        this.json = json;
        this.state = state;
        this.clock = clock;
    }

    /** A SOQL query including deleted records (queryAll); one page. */
    JsonNode queryAll(String connectorId, CrmSettings.Salesforce org, String soql) {
        return read(call(connectorId, org, "queryAll", null, Map.of("sObjectQuery", soql)));
    }

    /** The next page of a query, by the {@code nextRecordsUrl} of the page before. */
    JsonNode queryMore(String connectorId, CrmSettings.Salesforce org, String nextRecordsUrl) {
        return read(call(connectorId, org, "queryMore", null, Map.of("sObjectQuery", nextRecordsUrl)));
    }

    /** The sObject's describe: its fields with {@code name}, {@code updateable} as the integration user sees them. */
    JsonNode describe(String connectorId, CrmSettings.Salesforce org, String objectName) {
        return read(call(connectorId, org, "getDescription", null, Map.of("sObjectName", objectName)));
    }

    /** The org's limits ({@code DailyApiRequests.Max}, {@code .Remaining}, ...). */
    JsonNode limits(String connectorId, CrmSettings.Salesforce org) {
        return read(call(connectorId, org, "limits", null, Map.of()));
    }

    /**
     * The records of an object deleted between the two instants ({@code getDeleted}: also those
     * since purged from the recycle bin, which a queryAll no longer returns): {@code deletedRecords}
     * with {@code id} and {@code deletedDate}, and {@code earliestDateAvailable}.
     */
    JsonNode deleted(String connectorId, CrmSettings.Salesforce org, String objectName, Instant start, Instant end) {
        var headers = new LinkedHashMap<String, Object>();
        headers.put(SalesforceEndpointConfig.RAW_PATH, "/services/data/v" + org.apiVersion() + "/sobjects/" + objectName + "/deleted/");
        headers.put(SalesforceEndpointConfig.RAW_METHOD, "GET");
        headers.put(SalesforceEndpointConfig.RAW_QUERY_PARAMETERS, "start,end");
        headers.put("start", ISO_SECONDS.format(start.atOffset(ZoneOffset.UTC)));
        headers.put("end", ISO_SECONDS.format(end.atOffset(ZoneOffset.UTC)));
        return read(call(connectorId, org, "raw", null, headers));
    }

    /**
     * Updates up to 200 records in one sObject Collections call with {@code allOrNone=false}: each
     * record succeeds or fails on its own. Answers one SaveResult per record, in order.
     */
    JsonNode updateCollection(String connectorId, CrmSettings.Salesforce org, ArrayNode records) {
        return collection(connectorId, org, "PATCH", records);
    }

    /**
     * Creates a Bulk API 2.0 query job ({@code operation: queryAll}, so deleted and merged records
     * come with {@code IsDeleted}); answers the job's info ({@code id}, {@code state}).
     */
    JsonNode createQueryJob(String connectorId, CrmSettings.Salesforce org, String soql) {
        var body = json.createObjectNode();
        body.put("operation", "queryAll");
        body.put("query", soql);
        return sendJson(connectorId, org, "POST", "/jobs/query", body);
    }

    /**
     * Creates up to 200 records in one sObject Collections call ({@code POST composite/sobjects},
     * {@code allOrNone=false}); each record names its type in {@code attributes}. Answers one
     * SaveResult per record, in order, with the new record's {@code id}.
     */
    JsonNode createCollection(String connectorId, CrmSettings.Salesforce org, ArrayNode records) {
        return collection(connectorId, org, "POST", records);
    }

    /** An sObject Collections call (up to 200 records, each on its own: {@code allOrNone=false}). */
    private JsonNode collection(String connectorId, CrmSettings.Salesforce org, String method, ArrayNode records) {
        if (records.size() > 200) {
            throw new IllegalArgumentException("an sObject Collections call takes at most 200 records");
        }
        var body = json.createObjectNode();
        body.put("allOrNone", false);
        body.set("records", records);
        return sendJson(connectorId, org, method, "/composite/sobjects", body);
    }

    /** A JSON body sent to a REST resource of the org's API version through camel-salesforce's raw operation. */
    private JsonNode sendJson(String connectorId, CrmSettings.Salesforce org, String method, String resource, JsonNode body) {
        var headers = new LinkedHashMap<String, Object>();
        headers.put(SalesforceEndpointConfig.RAW_PATH, "/services/data/v" + org.apiVersion() + resource);
        headers.put(SalesforceEndpointConfig.RAW_METHOD, method);
        try {
            return read(call(connectorId, org, "raw", json.writeValueAsString(body), headers));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Bulk API 2.0 query job's info: {@code state} (UploadComplete, InProgress, JobComplete, Failed, Aborted), {@code errorMessage}. */
    JsonNode queryJob(String connectorId, CrmSettings.Salesforce org, String jobId) {
        var headers = new LinkedHashMap<String, Object>();
        headers.put(SalesforceEndpointConfig.RAW_PATH, "/services/data/v" + org.apiVersion() + "/jobs/query/" + jobId(jobId));
        headers.put(SalesforceEndpointConfig.RAW_METHOD, "GET");
        return read(call(connectorId, org, "raw", null, headers));
    }

    /**
     * One page of a completed query job's results, as CSV: the first page without a locator, each
     * further one by the {@code Sforce-Locator} of the page before ({@code null} there: none left).
     */
    BulkResults queryJobResults(String connectorId, CrmSettings.Salesforce org, String jobId, String locator, int maxRecords) {
        var headers = new LinkedHashMap<String, Object>();
        headers.put(SalesforceEndpointConfig.RAW_PATH, "/services/data/v" + org.apiVersion() + "/jobs/query/" + jobId(jobId) + "/results");
        headers.put(SalesforceEndpointConfig.RAW_METHOD, "GET");
        headers.put(SalesforceEndpointConfig.RAW_QUERY_PARAMETERS, locator == null ? "maxRecords" : "maxRecords,locator");
        headers.put("maxRecords", String.valueOf(maxRecords));
        if (locator != null) {
            headers.put("locator", locator);
        }
        headers.put(SalesforceEndpointConfig.RAW_HTTP_HEADERS, "Accept");
        headers.put("Accept", "text/csv");
        Message answer = send(connectorId, org, "raw", null, headers);
        String next = answer.getHeader("Sforce-Locator", String.class);
        String count = answer.getHeader("Sforce-NumberOfRecords", String.class);
        Object body = answer.getBody();
        Reader csv = body == null ? new StringReader("")
                : body instanceof InputStream stream ? new InputStreamReader(stream, StandardCharsets.UTF_8)
                : new StringReader(body.toString());
        return new BulkResults(csv, next == null || next.isBlank() || "null".equals(next) ? null : next,
                count == null || !count.trim().matches("\\d{1,10}") ? -1 : Long.parseLong(count.trim()));
    }

    /** A page of query job results: its CSV, the locator of the next page (null: the last), its record count (-1: not named). */
    record BulkResults(Reader csv, String nextLocator, long records) {
    }

    private static String jobId(String jobId) {
        if (jobId == null || !jobId.matches("[A-Za-z0-9]{15,18}")) {
            throw new IllegalArgumentException("not a Bulk API job id");
        }
        return jobId;
    }

    /** The API calls made to the org today (UTC) by this hub, as counted so far. */
    long callsToday(String connectorId) {
        return state.calls(connectorId, 1).getOrDefault(today(), 0L);
    }

    private Object call(String connectorId, CrmSettings.Salesforce org, String operation, Object body, Map<String, Object> headers) {
        return send(connectorId, org, operation, body, headers).getBody();
    }

    /** A call answering the whole message: its body and the {@code Sforce-*} headers camel-salesforce passes on. */
    private Message send(String connectorId, CrmSettings.Salesforce org, String operation, Object body, Map<String, Object> headers) {
        holdOffIfPaused(connectorId, operation);
        String component = component(connectorId, org);
        Traffic seen = traffic.get(connectorId);
        seen.retryAfter.set(null);
        // The version on every endpoint: camel-salesforce's endpoints otherwise fall back to its own default (56.0).
        String uri = component + ":" + operation + "?rawPayload=true&format=JSON&apiVersion=" + org.apiVersion();
        Exchange answer = producer.send(uri, exchange -> {
            exchange.getIn().setBody(body);
            exchange.getIn().setHeaders(new LinkedHashMap<>(headers));
        });
        recordTraffic(connectorId, org, seen);
        Exception failure = answer.getException();
        if (failure != null) {
            SalesforceCallException call = failure(operation, failure, seen.retryAfter.get());
            holdOff(connectorId, org, call);
            throw call;
        }
        return answer.getMessage();
    }

    /** While the org is held off, nothing is sent: the call fails at once, naming until when. */
    private void holdOffIfPaused(String connectorId, String operation) {
        SalesforceState.OrgState org = state.org(connectorId);
        Instant now = clock.instant();
        if (org.pausedUntil() != null && now.isBefore(org.pausedUntil())) {
            throw new SalesforceCallException(operation + " not sent: the hub holds off calls to this org until "
                    + org.pausedUntil() + " (" + org.pauseReason() + ")", 0, SalesforceErrors.Kind.LIMIT, List.of(),
                    org.pausedUntil(), null);
        }
    }

    /** A limit, an unavailable org or a refused login holds every later call off for a while. */
    private void holdOff(String connectorId, CrmSettings.Salesforce org, SalesforceCallException call) {
        Instant now = clock.instant();
        Instant until = switch (call.kind()) {
            case LIMIT -> call.retryAt() != null ? call.retryAt() : now.plus(org.limitBackoff());
            case UNAVAILABLE -> call.retryAt() != null ? call.retryAt() : now.plus(UNAVAILABLE_BACKOFF);
            case LOGIN -> now.plus(org.limitBackoff());
            default -> null;
        };
        if (until != null) {
            state.pause(connectorId, until, call.getMessage());
            log.warn("Salesforce {}: holding off calls until {}: {}", connectorId, until, call.getMessage());
        }
    }

    /** Counts the calls just made and keeps the org's usage; holds off once the hub's share is used. */
    private void recordTraffic(String connectorId, CrmSettings.Salesforce org, Traffic seen) {
        long calls = seen.calls.getAndSet(0);
        if (calls > 0) {
            state.countCalls(connectorId, today(), calls);
            metrics.calls(connectorId, calls);
        }
        long[] usage = seen.usage.getAndSet(null);
        if (usage != null) {
            Instant now = clock.instant();
            state.limits(connectorId, usage[0], usage[1], now);
            metrics.dailyUsage(connectorId, usage[0], usage[1]);
            long allowed = usage[1] - usage[1] * org.reservePercent() / 100;
            if (usage[0] >= allowed) {
                state.pause(connectorId, now.plus(org.limitBackoff()), "the org has used " + usage[0] + " of its " + usage[1]
                        + " daily API requests; the hub leaves the last " + org.reservePercent() + "% to others");
            } else {
                SalesforceState.OrgState known = state.org(connectorId);
                if (known.pausedUntil() != null && !now.isBefore(known.pausedUntil())) {
                    state.resume(connectorId);
                }
            }
        }
    }

    /** A failure as the hub names it: the login error or HTTP status and Salesforce's codes, never values. */
    static SalesforceCallException failure(String operation, Throwable failure, Instant retryAt) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Matcher login = t.getMessage() == null ? null : LOGIN_ERROR.matcher(t.getMessage());
            if (login != null && login.find()) {
                String code = login.group(1);
                String meaning = SalesforceErrors.LOGIN_ERRORS.getOrDefault(code, "see the Connected App and the login URL");
                return new SalesforceCallException("Salesforce refused the login: " + code + " (" + meaning + ")", 400,
                        SalesforceErrors.Kind.LOGIN, List.of(code), retryAt, failure);
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SalesforceException sf && (sf.getStatusCode() > 0 || sf.getErrors() != null)) {
                // Error codes and field names only: Salesforce's messages may quote the record's values.
                var codes = new ArrayList<String>();
                var described = new ArrayList<String>();
                for (RestError error : sf.getErrors() == null ? List.<RestError>of() : sf.getErrors()) {
                    codes.add(error.getErrorCode());
                    described.add(error.getErrorCode() + (error.getFields() == null || error.getFields().isEmpty() ? "" : " " + error.getFields()));
                }
                if (codes.isEmpty() && sf.getMessage() != null) {
                    // Some camel-salesforce clients (raw) leave the errors unparsed in the message:
                    // only the codes are taken from it, never Salesforce's message text.
                    Matcher code = ERROR_CODE.matcher(sf.getMessage());
                    while (code.find() && codes.size() < 5) {
                        codes.add(code.group(1));
                        described.add(code.group(1));
                    }
                }
                SalesforceErrors.Kind kind = SalesforceErrors.of(sf.getStatusCode(), codes.isEmpty() ? null : codes.get(0));
                return new SalesforceCallException(operation + " failed with HTTP " + sf.getStatusCode() + ": "
                        + (described.isEmpty() ? "no error code" : String.join(", ", described)), sf.getStatusCode(), kind,
                        codes, retryAt, failure);
            }
        }
        return new SalesforceCallException(operation + " failed: " + FailureText.of(failure), 0, SalesforceErrors.Kind.RETRY,
                List.of(), retryAt, failure);
    }

    private JsonNode read(Object body) {
        try {
            if (body == null) {
                return json.nullNode();
            }
            if (body instanceof InputStream stream) {
                try (stream) {
                    return json.readTree(stream);
                }
            }
            return json.readTree(body.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Salesforce answered with something that is not JSON", e);
        }
    }

    private static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    private synchronized String component(String connectorId, CrmSettings.Salesforce org) {
        String name = "sf-" + connectorId;
        if (camel.hasComponent(name) == null) {
            var seen = new Traffic();
            traffic.put(connectorId, seen);
            var component = new SalesforceComponent();
            login(component, org);
            component.setLazyLogin(true);
            var config = new SalesforceEndpointConfig();
            config.setHttpClient(new NotingHttpClient(camel, seen));
            config.setApiVersion(org.apiVersion());
            config.setRawPayload(true);
            component.setConfig(config);
            camel.addComponent(name, component);
        }
        return name;
    }

    /**
     * The component a connector's change stream subscribes with ({@code sf-stream-<connectorId>}):
     * the same login as its API calls, in a component of its own because camel-salesforce's
     * streaming consumer refuses lazy login. It is created with lazy login all the same, so that
     * creating it logs nothing in (an org that is down must not stop the hub); {@link SalesforceStreams}
     * turns lazy login off just before it starts the stream, whose start then logs in.
     * {@code replayIds}: where each channel resumes after a restart (the last applied event).
     * Streaming requests are not API calls and are not counted.
     */
    synchronized String streamComponent(String connectorId, CrmSettings.Salesforce org, Map<String, Long> replayIds) {
        String name = "sf-stream-" + connectorId;
        if (camel.hasComponent(name) == null) {
            var component = new SalesforceComponent();
            login(component, org);
            component.setLazyLogin(true);
            var config = new SalesforceEndpointConfig();
            config.setApiVersion(org.apiVersion());
            config.setRawPayload(true);
            config.setInitialReplayIdMap(new LinkedHashMap<>(replayIds));
            // Without a stored replay id a new stream starts with new events: the polls cover what came before.
            config.setDefaultReplayId(-1L);
            config.setFallBackReplayId(-1L);
            component.setConfig(config);
            camel.addComponent(name, component);
        }
        return name;
    }

    /** The org's login, the same for API calls and the change stream. */
    private static void login(SalesforceComponent component, CrmSettings.Salesforce org) {
        component.setLoginUrl(org.loginUrl());
        if (org.instanceUrl() != null && !org.instanceUrl().isBlank()) {
            component.setInstanceUrl(org.instanceUrl());
        }
        component.setAuthenticationType(AuthenticationType.valueOf(org.authenticationType().toUpperCase(Locale.ROOT)));
        component.setClientId(org.clientId());
        component.setClientSecret(org.clientSecret());
        if (org.username() != null && !org.username().isBlank()) {
            component.setUserName(org.username());
            component.setPassword(org.password());
        }
        jwtLogin(component, org);
    }

    /**
     * The JWT bearer flow: camel-salesforce signs an assertion ({@code iss} the client id,
     * {@code sub} the user, {@code aud} the audience, RS256) with the keystore's only private key, so
     * no secret ever goes over the wire. The store is read from the file at each login, which lets
     * an operator rotate the key without a restart; {@link SalesforceConnectorCheck} has opened it
     * once at start-up, so a wrong path or password stops the hub rather than every poll.
     */
    private static void jwtLogin(SalesforceComponent component, CrmSettings.Salesforce org) {
        if (!SalesforceConnectorCheck.JWT.equalsIgnoreCase(org.authenticationType())) {
            return;
        }
        var keystore = new KeyStoreParameters();
        keystore.setResource("file:" + Path.of(org.keystore()).toAbsolutePath());
        keystore.setPassword(org.keystorePassword());
        keystore.setType("PKCS12");
        component.setKeystore(keystore);
        component.setJwtAudience(jwtAudience(org));
    }

    /**
     * The assertion's {@code aud}: as configured, else the authorization server Salesforce documents
     * for the JWT bearer flow — {@code https://test.salesforce.com} for a sandbox login URL,
     * {@code https://login.salesforce.com} otherwise. Not the login URL itself: the My Domain URL a
     * client-credentials login needs is not an audience Salesforce names.
     */
    static String jwtAudience(CrmSettings.Salesforce org) {
        if (org.jwtAudience() != null && !org.jwtAudience().isBlank()) {
            return org.jwtAudience();
        }
        String login = org.loginUrl().toLowerCase(Locale.ROOT);
        return login.contains("test.salesforce.com") || login.contains(".sandbox.") ? "https://test.salesforce.com"
                : "https://login.salesforce.com";
    }

    /** What the HTTP client saw since the last call: API calls, the org's usage, a Retry-After. */
    private static final class Traffic {
        final AtomicLong calls = new AtomicLong();
        final AtomicReference<long[]> usage = new AtomicReference<>();
        final AtomicReference<Instant> retryAfter = new AtomicReference<>();
    }

    /**
     * camel-salesforce's HTTP client, noting every response: camel-salesforce itself passes on only
     * the {@code Sforce-*} headers of a success, so Retry-After would otherwise be lost. Logins
     * (the OAuth token endpoint) are not API calls and are not counted.
     */
    private static final class NotingHttpClient extends SalesforceHttpClient {

        private final Traffic seen;

        NotingHttpClient(CamelContext camel, Traffic seen) {
            super(camel, camel.getExecutorServiceManager().newThreadPool(seen, "SalesforceHttpClient", 10, 20),
                    new SslContextFactory.Client());
            this.seen = seen;
            // camel-salesforce buffers every answer; its 4 MiB default is less than a Bulk API 2.0
            // result page of 10,000 wide records, which would then fail on every attempt.
            setMaxContentLength(MAX_ANSWER_BYTES);
        }

        @Override
        public HttpRequest newHttpRequest(HttpConversation conversation, URI uri) {
            HttpRequest request = super.newHttpRequest(conversation, uri);
            if (uri.getPath() != null && uri.getPath().startsWith("/services/data/")) {
                request.onResponseHeaders(this::note);
            }
            return request;
        }

        private void note(Response response) {
            seen.calls.incrementAndGet();
            String limitInfo = response.getHeaders().get("Sforce-Limit-Info");
            Matcher usage = limitInfo == null ? null : API_USAGE.matcher(limitInfo);
            if (usage != null && usage.find()) {
                seen.usage.set(new long[] {Long.parseLong(usage.group(1)), Long.parseLong(usage.group(2))});
            }
            String retryAfter = response.getHeaders().get("Retry-After");
            if (retryAfter != null && retryAfter.trim().matches("\\d{1,6}")) {
                seen.retryAfter.set(Instant.now().plusSeconds(Long.parseLong(retryAfter.trim())));
            }
        }
    }

    /** A Salesforce call that failed; its message names the status, error codes and fields, never values. */
    static final class SalesforceCallException extends RuntimeException implements FailureText.ValueFree {

        private final int status;
        private final SalesforceErrors.Kind kind;
        private final List<String> codes;
        private final Instant retryAt;

        SalesforceCallException(String message, int status, SalesforceErrors.Kind kind, List<String> codes, Instant retryAt,
                                Throwable cause) {
            super(message, cause);
            this.status = status;
            this.kind = kind;
            this.codes = List.copyOf(codes);
            this.retryAt = retryAt;
        }

        int status() {
            return status;
        }

        SalesforceErrors.Kind kind() {
            return kind;
        }

        List<String> codes() {
            return codes;
        }

        /** When Salesforce (Retry-After) or the hub's pause says to try again; null: no time named. */
        Instant retryAt() {
            return retryAt;
        }
    }
}
