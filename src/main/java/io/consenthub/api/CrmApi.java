package io.consenthub.api;

import io.consenthub.crm.CrmPush;
import io.consenthub.crm.CrmReconciliation;
import io.consenthub.crm.jdbc.JdbcCrmDryRun;
import io.consenthub.crm.jdbc.JdbcCrmSync;
import io.consenthub.crm.CrmSettings;
import io.consenthub.crm.CrmSyncLog;
import io.consenthub.crm.CrmWriteBack;
import io.consenthub.crm.salesforce.SalesforceCrmSync;
import io.consenthub.crm.salesforce.SalesforceStatus;
import io.consenthub.shared.InvalidInputException;
import io.consenthub.system.ApiResponse;
import io.consenthub.shared.NotFoundException;
import io.consenthub.system.StrictJson;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A connector's sync progress and poll health, reject list, recorded conflicts and write-back
 * outcomes, for the engineers who run the sync; and the bulk upsert that CRMs of kind {@code push} call.
 */
@Component("crmApi")
public class CrmApi {

    /** The push request: {@code {"contacts": [...]}}. */
    record PushRequest(List<PushedContact> contacts) {
    }

    /** One pushed record as a CRM sends it; {@code modified} is ISO-8601 with an offset. */
    record PushedContact(String externalId, String email, OffsetDateTime modified, Boolean deleted, Boolean emailOptOut,
                         Map<String, String> attributes) {
    }

    private final CrmSettings settings;
    private final CrmSyncLog syncLog;
    private final CrmPush push;
    private final StrictJson json;
    private final JdbcCrmDryRun dryRun;
    private final JdbcCrmSync jdbcSync;
    private final CrmReconciliation reconciliation;
    private final CrmWriteBack writeBack;
    private final SalesforceCrmSync salesforceSync;
    private final SalesforceStatus salesforceStatus;

    CrmApi(CrmSettings settings, CrmSyncLog syncLog, CrmPush push, StrictJson json, JdbcCrmDryRun dryRun,
           JdbcCrmSync jdbcSync, CrmReconciliation reconciliation, CrmWriteBack writeBack,
           SalesforceCrmSync salesforceSync, SalesforceStatus salesforceStatus) {
        this.salesforceSync = salesforceSync;
        this.salesforceStatus = salesforceStatus;
        this.writeBack = writeBack;
        this.settings = settings;
        this.syncLog = syncLog;
        this.push = push;
        this.json = json;
        this.dryRun = dryRun;
        this.jdbcSync = jdbcSync;
        this.reconciliation = reconciliation;
    }

    /** {@code POST /api/crm/{id}/dry-run?limit=&from=watermark|beginning}: what a poll would do, writing nothing. */
    public ApiResponse dryRun(Exchange exchange) {
        String connectorId = connectorId(exchange);
        int limit = ApiRequests.intParam(exchange, "limit", 20, 1, 500);
        return ApiResponse.ok(dryRun.run(connectorId, limit, fromBeginning(exchange)));
    }

    /** {@code GET /api/crm/{id}/reconcile?limit=}: the last reconcile and the records the CRM no longer returns. */
    public ApiResponse reconcileStatus(Exchange exchange) {
        String connectorId = connectorId(exchange);
        int limit = ApiRequests.intParam(exchange, "limit", 100, 1, 1000);
        var answer = new LinkedHashMap<String, Object>();
        answer.put("connectorId", connectorId);
        var connector = settings.connectors().get(connectorId);
        answer.put("schedule", connector.salesforce() != null ? connector.salesforce().reconcile() : connector.reconcile());
        reconciliation.last(connectorId).ifPresent(run -> answer.put("lastRun", run));
        answer.put("missingInCrm", reconciliation.missing(connectorId, limit));
        return ApiResponse.ok(answer);
    }

    /** {@code POST /api/crm/{id}/reconcile}: reconciles now, through the poll route; answers with the run. */
    public ApiResponse reconcileNow(Exchange exchange) {
        String connectorId = connectorId(exchange);
        String kind = settings.connectors().get(connectorId).kind();
        if ("salesforce".equals(kind)) {
            salesforceSync.reconcile(connectorId);
        } else if ("jdbc".equals(kind)) {
            jdbcSync.reconcile(connectorId);
        } else {
            throw new InvalidInputException("reconcile re-reads a JDBC or Salesforce connector; '" + connectorId + "' is of kind " + kind);
        }
        return reconcileStatus(exchange);
    }

    private static boolean fromBeginning(Exchange exchange) {
        String from = ApiRequests.param(exchange, "from");
        if (from == null || from.equals("watermark")) {
            return false;
        }
        if (from.equals("beginning")) {
            return true;
        }
        throw new InvalidInputException("from must be 'watermark' (the default) or 'beginning'");
    }

    public ApiResponse push(Exchange exchange) {
        String connectorId = connectorId(exchange);
        var request = json.read(ApiRequests.body(exchange), PushRequest.class);
        List<CrmPush.PushedRecord> records = request.contacts() == null ? List.of() : request.contacts().stream()
                .map(c -> c == null ? null : new CrmPush.PushedRecord(c.externalId(), c.email(),
                        c.modified() == null ? null : c.modified().toInstant(), Boolean.TRUE.equals(c.deleted()),
                        Boolean.TRUE.equals(c.emailOptOut()), c.attributes()))
                .toList();
        push.validate(connectorId, records);
        return ApiResponse.ok(push.apply(connectorId, records));
    }

    public ApiResponse conflicts(Exchange exchange) {
        String connectorId = connectorId(exchange);
        int limit = ApiRequests.intParam(exchange, "limit", 100, 1, 1000);
        return ApiResponse.ok(syncLog.conflicts(connectorId, limit));
    }

    public ApiResponse status(Exchange exchange) {
        String connectorId = connectorId(exchange);
        var connector = settings.connectors().get(connectorId);
        var answer = new LinkedHashMap<String, Object>();
        answer.put("connectorId", connectorId);
        answer.put("kind", connector.kind());
        answer.put("enabled", connector.enabled());
        syncLog.status(connectorId).ifPresent(status -> answer.put("progress", status));
        syncLog.pollHealth(connectorId).ifPresent(poll -> {
            var health = new LinkedHashMap<String, Object>();
            health.put("lastPollAt", poll.lastPollAt());
            health.put("lastOutcome", poll.lastOutcome().name());
            health.put("lastError", poll.lastError());
            health.put("consecutiveFailures", poll.consecutiveFailures());
            health.put("failingSince", poll.failingSince());
            health.put("lastSuccessAt", poll.lastSuccessAt());
            answer.put("poll", health);
        });
        if ("salesforce".equals(connector.kind())) {
            answer.put("salesforce", salesforceStatus.of(connectorId));
        }
        return ApiResponse.ok(answer);
    }

    /** {@code ?status=open|closed|all} (default open), {@code limit}, {@code before} (the last id of the previous page). */
    public ApiResponse rejects(Exchange exchange) {
        String connectorId = connectorId(exchange);
        int limit = ApiRequests.intParam(exchange, "limit", 100, 1, 1000);
        String state = ApiRequests.param(exchange, "status");
        state = state == null ? "open" : state;
        if (!List.of("open", "closed", "all").contains(state)) {
            throw new InvalidInputException("query parameter 'status' must be open, closed or all");
        }
        return ApiResponse.ok(syncLog.rejects(connectorId, state, ApiRequests.idParam(exchange, "before"), limit));
    }

    /** {@code ?status=pending|delivered|refused|failed} (default all), {@code limit}, {@code before}. */
    public ApiResponse writeBacks(Exchange exchange) {
        String connectorId = connectorId(exchange);
        int limit = ApiRequests.intParam(exchange, "limit", 100, 1, 1000);
        return ApiResponse.ok(writeBack.outcomes(connectorId, ApiRequests.param(exchange, "status"),
                ApiRequests.idParam(exchange, "before"), limit));
    }

    private String connectorId(Exchange exchange) {
        String connectorId = ApiRequests.param(exchange, "connectorId");
        if (connectorId == null || !settings.connectors().containsKey(connectorId)) {
            throw new NotFoundException("no CRM connector '" + connectorId + "'; configured: " + settings.connectors().keySet());
        }
        return connectorId;
    }
}
