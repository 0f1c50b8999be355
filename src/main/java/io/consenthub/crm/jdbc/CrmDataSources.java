package io.consenthub.crm.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.consenthub.crm.CrmSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.io.ResourceLoader;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One small connection pool per JDBC CRM, shared by its sync and its write-back. */
@Component
class CrmDataSources implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(CrmDataSources.class);

    private final ResourceLoader resources;
    private final Map<String, HikariDataSource> dataSources = new ConcurrentHashMap<>();

    CrmDataSources(ResourceLoader resources) {
        this.resources = resources;
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
