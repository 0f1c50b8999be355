package io.consenthub.system;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * A taken port stops start-up with one line naming the port and the property that moves it, in
 * place of a stack trace (and, for the web server, of Spring Boot's own analysis, which names no
 * property). Registered in {@code META-INF/spring.factories}; runs before Spring Boot's analyzers.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class PortTakenFailureAnalyzer implements FailureAnalyzer {

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PortTakenException taken) {
                return new FailureAnalysis(taken.getMessage() + "; set " + taken.property() + " to a free port",
                        "Stop the process listening on " + taken.address() + " or set " + taken.property()
                                + " (README \"Configuration\" lists the hub's ports).", taken);
            }
            if (t instanceof PortInUseException web) {
                return new FailureAnalysis("The hub's web server could not listen on port " + web.getPort()
                        + ": the port is in use; set server.port (environment CONSENT_HUB_PORT) to a free port",
                        "Stop the process listening on port " + web.getPort() + " or set server.port / CONSENT_HUB_PORT.", web);
            }
        }
        return null;
    }
}
