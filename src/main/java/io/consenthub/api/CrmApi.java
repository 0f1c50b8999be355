package io.consenthub.api;

import io.consenthub.crm.CrmSettings;
import io.consenthub.crm.CrmSyncLog;
import io.consenthub.system.ApiResponse;
import io.consenthub.system.NotFoundException;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;

/** A connector's sync progress and reject list, for the engineers who run the sync. */
@Component("crmApi")
public class CrmApi {

    private final CrmSettings settings;
    private final CrmSyncLog syncLog;

    CrmApi(CrmSettings settings, CrmSyncLog syncLog) {
        this.settings = settings;
        this.syncLog = syncLog;
    }

    public ApiResponse status(Exchange exchange) {
        String connectorId = connectorId(exchange);
        var connector = settings.connectors().get(connectorId);
        var answer = new LinkedHashMap<String, Object>();
        answer.put("connectorId", connectorId);
        answer.put("kind", connector.kind());
        answer.put("enabled", connector.enabled());
        syncLog.status(connectorId).ifPresent(status -> answer.put("progress", status));
        return ApiResponse.ok(answer);
    }

    public ApiResponse rejects(Exchange exchange) {
        String connectorId = connectorId(exchange);
        int limit = ApiRequests.intParam(exchange, "limit", 100, 1, 1000);
        return ApiResponse.ok(syncLog.rejects(connectorId, limit));
    }

    private String connectorId(Exchange exchange) {
        String connectorId = ApiRequests.param(exchange, "connectorId");
        if (connectorId == null || !settings.connectors().containsKey(connectorId)) {
            throw new NotFoundException("no CRM connector '" + connectorId + "'; configured: " + settings.connectors().keySet());
        }
        return connectorId;
    }
}
