package io.consenthub.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The Streaming API side of {@link SalesforceStandIn}: Change Data Capture events on
 * {@code /data/ChangeEvents} and {@code /data/<Object>ChangeEvent}, served over CometD's Bayeux
 * protocol (long polling) at {@code /cometd/<version>}, as Salesforce documents them: a handshake
 * that announces the {@code replay} extension, {@code /meta/connect} held until events arrive or
 * the advised timeout passes, {@code /meta/subscribe} with the replay id per channel from the
 * extension (-1: new events only, -2: all retained, an id: the events after it; an id older than
 * the retained events is refused with Salesforce's {@code 400::The replayId ...} error), and each
 * event's body {@code {schema, payload: {ChangeEventHeader, changed fields}, event: {replayId}}}.
 * Update events carry only the fields whose value changed and LastModifiedDate; creates all
 * non-null fields; deletes none.
 */
public final class SalesforceChangeEvents {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long a /meta/connect is held when nothing is to be sent (the advice's timeout). */
    private static final long CONNECT_TIMEOUT_MS = 2_000;
    static final String ALL_CHANGES = "/data/ChangeEvents";

    private record Event(long replayId, String objectName, ObjectNode data) {
        boolean on(String channel) {
            return channel.equals(ALL_CHANGES) || channel.equals(channelOf(objectName));
        }
    }

    /** One subscriber: its channels, each with the replay id of the last event delivered on it. */
    private static final class Client {
        final Map<String, Long> delivered = new LinkedHashMap<>();
    }

    /** A subscription as the stand-in received it: the channel and the replay id asked for. */
    public record Subscription(String channel, long replayId) {
    }

    private final List<Event> events = new ArrayList<>();
    private final Map<String, Client> clients = new HashMap<>();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final Predicate<String> validToken;
    private long nextReplayId = 1;
    private long commitNumber = 1;
    private long firstRetained = 1;
    private boolean held;

    SalesforceChangeEvents(Predicate<String> validToken) {
        this.validToken = validToken;
    }

    public static String channelOf(String objectName) {
        return "/data/" + (objectName.endsWith("__c") ? objectName.substring(0, objectName.length() - 1) : objectName)
                + "ChangeEvent";
    }

    /**
     * Publishes a change event; answers its replay id. {@code fields}: the event's body fields,
     * {@code changedFields} the header's list (update events only), {@code committed} its commit time.
     */
    public synchronized long publish(String objectName, String recordId, String changeType, Map<String, JsonNode> fields,
                                     List<String> changedFields, Instant committed, String changeOrigin) {
        long replayId = nextReplayId++;
        ObjectNode data = JSON.createObjectNode();
        data.put("schema", "standin-" + objectName + "-schema");
        ObjectNode payload = data.putObject("payload");
        ObjectNode header = payload.putObject("ChangeEventHeader");
        header.put("entityName", objectName);
        header.putArray("recordIds").add(recordId);
        header.put("changeType", changeType);
        header.put("changeOrigin", changeOrigin == null ? "" : changeOrigin);
        header.put("transactionKey", UUID.randomUUID().toString());
        header.put("sequenceNumber", 1);
        header.put("commitTimestamp", committed.toEpochMilli());
        header.put("commitNumber", commitNumber++);
        header.put("commitUser", "005000000000001AAA");
        ArrayNode changed = header.putArray("changedFields");
        if (changeType.equals("UPDATE")) {
            changedFields.forEach(changed::add);
        }
        fields.forEach(payload::set);
        data.putObject("event").put("replayId", replayId);
        events.add(new Event(replayId, objectName, data));
        notifyAll();
        return replayId;
    }

    /** Holds delivery back (events are published but not sent, as when delivery lags) until {@link #release}. */
    public synchronized void hold() {
        held = true;
    }

    public synchronized void release() {
        held = false;
        notifyAll();
    }

    /** Salesforce keeps events for three days: forgets every event up to and including this replay id. */
    public synchronized void forgetUpTo(long replayId) {
        events.removeIf(event -> event.replayId() <= replayId);
        firstRetained = Math.max(firstRetained, replayId + 1);
    }

    /** The subscriptions received so far, in order. */
    public List<Subscription> subscriptions() {
        return List.copyOf(subscriptions);
    }

    /** The replay id the next event will have. */
    public synchronized long nextReplayId() {
        return nextReplayId;
    }

    /** Whether a client is subscribed to {@code channel} now. */
    public synchronized boolean subscribed(String channel) {
        return clients.values().stream().anyMatch(client -> client.delivered.containsKey(channel));
    }

    /** Answers one Bayeux request (a JSON array of messages) with the JSON array to send back. */
    String answer(String authorization, byte[] body) throws java.io.IOException {
        JsonNode request = JSON.readTree(body);
        ArrayNode replies = JSON.createArrayNode();
        Collection<JsonNode> messages = new ArrayList<>();
        if (request.isArray()) {
            request.forEach(messages::add);
        } else {
            messages.add(request);
        }
        boolean authorised = authorization != null && validToken.test(authorization.replaceFirst("^(OAuth|Bearer) ", ""));
        for (JsonNode message : messages) {
            String channel = message.path("channel").asText();
            ObjectNode reply = replies.addObject();
            reply.put("channel", channel);
            if (message.has("id")) {
                reply.set("id", message.get("id"));
            }
            if (!authorised) {
                reply.put("successful", false);
                reply.put("error", "403::Handshake denied");
                reply.putObject("ext").putObject("sfdc").put("failureReason", "401::Authentication invalid");
                reply.putObject("advice").put("reconnect", "handshake");
                continue;
            }
            switch (channel) {
                case "/meta/handshake" -> handshake(reply);
                case "/meta/connect" -> connect(message, reply, replies);
                case "/meta/subscribe" -> subscribe(message, reply);
                case "/meta/unsubscribe" -> unsubscribe(message, reply);
                case "/meta/disconnect" -> disconnect(message, reply);
                default -> {
                    reply.put("successful", false);
                    reply.put("error", "403::Publishing is not supported");
                }
            }
        }
        return JSON.writeValueAsString(replies);
    }

    private synchronized void handshake(ObjectNode reply) {
        String clientId = UUID.randomUUID().toString().replace("-", "");
        clients.put(clientId, new Client());
        reply.put("successful", true);
        reply.put("version", "1.0");
        reply.put("minimumVersion", "1.0");
        reply.put("clientId", clientId);
        reply.putArray("supportedConnectionTypes").add("long-polling");
        advice(reply);
        reply.putObject("ext").put("replay", true);
    }

    private void connect(JsonNode message, ObjectNode reply, ArrayNode replies) {
        String clientId = message.path("clientId").asText();
        boolean waitForEvents = !message.path("advice").has("timeout") || message.path("advice").path("timeout").asLong() > 0;
        List<ObjectNode> delivery;
        synchronized (this) {
            Client client = clients.get(clientId);
            if (client == null) {
                reply.put("successful", false);
                reply.put("error", "403::Unknown client");
                reply.putObject("advice").put("reconnect", "handshake");
                return;
            }
            long until = System.currentTimeMillis() + CONNECT_TIMEOUT_MS;
            delivery = pending(client);
            while (waitForEvents && delivery.isEmpty() && clients.containsKey(clientId)) {
                long left = until - System.currentTimeMillis();
                if (left <= 0) {
                    break;
                }
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                delivery = pending(client);
            }
        }
        reply.put("successful", true);
        reply.put("clientId", clientId);
        advice(reply);
        // The events go before the connect reply, in the same response, as a CometD server sends them.
        replies.remove(replies.size() - 1);
        delivery.forEach(replies::add);
        replies.add(reply);
    }

    /** The events after each channel's last delivered replay id, marked delivered. */
    private List<ObjectNode> pending(Client client) {
        var answer = new ArrayList<ObjectNode>();
        if (held) {
            return answer;
        }
        for (Map.Entry<String, Long> subscription : client.delivered.entrySet()) {
            for (Event event : events) {
                if (event.replayId() > subscription.getValue() && event.on(subscription.getKey())) {
                    ObjectNode message = JSON.createObjectNode();
                    message.put("channel", subscription.getKey());
                    message.set("data", event.data().deepCopy());
                    answer.add(message);
                    subscription.setValue(event.replayId());
                }
            }
        }
        return answer;
    }

    private synchronized void subscribe(JsonNode message, ObjectNode reply) {
        String channel = message.path("subscription").asText();
        reply.put("subscription", channel);
        Client client = clients.get(message.path("clientId").asText());
        if (client == null) {
            reply.put("successful", false);
            reply.put("error", "403::Unknown client");
            return;
        }
        JsonNode replay = message.path("ext").path("replay").path(channel);
        long replayId = replay.isNumber() ? replay.asLong() : -1;
        subscriptions.add(new Subscription(channel, replayId));
        long latest = nextReplayId - 1;
        if (replayId >= 0 && (replayId < firstRetained - 1 || replayId > latest)) {
            reply.put("successful", false);
            reply.put("error", "400::The replayId {" + replayId + "} you provided was invalid.  Please provide a valid ID, -2 to"
                    + " replay all events, or -1 to replay only new events.");
            return;
        }
        client.delivered.put(channel, replayId == -1 ? latest : replayId == -2 ? firstRetained - 1 : replayId);
        reply.put("successful", true);
        reply.put("clientId", message.path("clientId").asText());
        notifyAll();
    }

    private synchronized void unsubscribe(JsonNode message, ObjectNode reply) {
        String channel = message.path("subscription").asText();
        Client client = clients.get(message.path("clientId").asText());
        if (client != null) {
            client.delivered.remove(channel);
        }
        reply.put("subscription", channel);
        reply.put("successful", true);
    }

    private synchronized void disconnect(JsonNode message, ObjectNode reply) {
        clients.remove(message.path("clientId").asText());
        reply.put("successful", true);
        notifyAll();
    }

    private static void advice(ObjectNode reply) {
        reply.putObject("advice").put("reconnect", "retry").put("interval", 0).put("timeout", CONNECT_TIMEOUT_MS);
    }
}
