package io.consenthub.crm;

import org.apache.camel.Exchange;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Records a CRM poll that failed as a whole (CRM unreachable, a query the CRM refuses), called by
 * the poll routes' error handling ({@code routeConfigurationId: crm-errors}), so the failure shows
 * in the connector's status, its metrics and the health endpoint instead of a log line alone. The
 * connector is the poll route's {@code connectorId} template parameter. What is recorded and
 * logged is {@link FailureText}: exception classes and the hub's own messages, never a driver's
 * message, which may quote a row's values.
 */
@Component("crmPollFailures")
public class CrmPollFailures {

    private static final Logger log = LoggerFactory.getLogger(CrmPollFailures.class);
    /** The exchange property a poll route may set to name its connector (else its template parameter). */
    public static final String CONNECTOR_PROPERTY = "ConsentHubCrmConnector";

    private final CrmSyncLog syncLog;
    private final CrmMetrics metrics;

    CrmPollFailures(CrmSyncLog syncLog, CrmMetrics metrics) {
        this.syncLog = syncLog;
        this.metrics = metrics;
    }

    public void failed(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String routeId = exchange.getFromRouteId();
        String connectorId = connectorOf(exchange, routeId);
        String error = FailureText.of(failure);
        if (connectorId == null) {
            log.error("CRM poll route {} failed, will retry at the next tick: {}", routeId, error);
            return;
        }
        log.error("CRM {} poll failed, will retry at the next tick: {}", connectorId, error);
        try {
            syncLog.pollFailed(connectorId, error);
            int inARow = syncLog.pollHealth(connectorId).map(PollHealth::consecutiveFailures).orElse(1);
            metrics.pollFailed(connectorId, FailureText.kind(failure), inARow);
        } catch (DataAccessException e) {
            log.error("CRM {}: the poll failure could not be recorded ({})", connectorId, e.getClass().getSimpleName());
        }
    }

    private static String connectorOf(Exchange exchange, String routeId) {
        String named = exchange.getProperty(CONNECTOR_PROPERTY, String.class);
        if (named != null) {
            return named;
        }
        // The JDBC poll (routes/crm/jdbc-crm-sync.camel.yaml) carries its connector as a variable.
        String variable = exchange.getVariable("connectorId", String.class);
        if (variable != null) {
            return variable;
        }
        Model model = exchange.getContext().getCamelContextExtension().getContextPlugin(Model.class);
        RouteDefinition route = model == null || routeId == null ? null : model.getRouteDefinition(routeId);
        Object parameter = route == null || route.getTemplateParameters() == null ? null : route.getTemplateParameters().get("connectorId");
        return parameter == null ? null : parameter.toString();
    }
}
