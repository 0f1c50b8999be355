package io.consenthub.crm.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.consenthub.crm.CrmSettings;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.io.ResourceLoader;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One small connection pool per JDBC CRM, shared by its sync and its write-back. Each is also
 * bound in Camel's registry as {@code crm-<connector id>}, so the sync route's {@code sql:}
 * endpoint names it ({@code dataSource=#crm-demo-crm}). The pool opens on first use, not at
 * start-up: a CRM that is down must not keep the hub from starting.
 */
@Component
class CrmDataSources implements DisposableBean, CamelContextConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CrmDataSources.class);

    private final ResourceLoader resources;
    private final Map<String, HikariDataSource> dataSources = new ConcurrentHashMap<>();

    private final CrmSettings settings;

    CrmDataSources(ResourceLoader resources, CrmSettings settings) {
        this.resources = resources;
        this.settings = settings;
    }

    /** The registry name of a connector's data source, as the sync route refers to it. */
    static String registryName(String connectorId) {
        return "crm-" + connectorId;
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        settings.connectors().forEach((id, connector) -> {
            if ("jdbc".equals(connector.kind()) && connector.jdbc() != null) {
                camelContext.getRegistry().bind(registryName(id), DataSource.class, new OnFirstUse(() -> get(id, connector)));
            }
        });
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        // nothing to do once started
    }

    /** Opens the connector's pool when the first connection is asked for. */
    private static final class OnFirstUse extends DelegatingDataSource {
        private final Supplier<DataSource> pool;

        OnFirstUse(Supplier<DataSource> pool) {
            this.pool = pool;
        }

        @Override
        public DataSource getTargetDataSource() {
            return pool.get();
        }
    }

    DataSource get(String connectorId, CrmSettings.Connector connector) {
        return dataSources.computeIfAbsent(connectorId, id -> {
            var config = new HikariConfig();
            config.setPoolName("crm-" + id);
            config.setJdbcUrl(connector.jdbc().url());
            config.setUsername(connector.jdbc().username());
            config.setPassword(connector.jdbc().password());
            config.setMaximumPoolSize(2);
            config.setReadOnly(false);
            var dataSource = new HikariDataSource(config);
            String script = connector.jdbc().initScript();
            if (script != null && !script.isBlank()) {
                new ResourceDatabasePopulator(resources.getResource(script)).execute(dataSource);
                log.info("CRM {}: ran init script {}", id, script);
            }
            return dataSource;
        });
    }

    @Override
    public void destroy() {
        dataSources.values().forEach(HikariDataSource::close);
    }
}
