package io.consenthub.crm.jdbc;

import io.consenthub.crm.CrmSettings;
import io.consenthub.crm.CrmWriter;
import io.consenthub.crm.WriteBackValues;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;

/**
 * Writes the consents block into a JDBC CRM with the connector's configured UPDATE statements,
 * all in one CRM transaction and with bound named parameters only ({@link WriteBackValues}).
 */
@Component
class JdbcCrmWriter implements CrmWriter {

    private final CrmDataSources dataSources;

    JdbcCrmWriter(CrmDataSources dataSources) {
        this.dataSources = dataSources;
    }

    @Override
    public String kind() {
        return "jdbc";
    }

    @Override
    public boolean write(String connectorId, CrmSettings.Connector connector, String externalId, WriteBackValues values) {
        DataSource dataSource = dataSources.get(connectorId, connector);
        CrmSettings.WriteBack writeBack = connector.writeBack();
        var parameters = values.sqlParameters(externalId, writeBack.trueValue(), writeBack.falseValue());
        var sql = new NamedParameterJdbcTemplate(dataSource);
        Integer rows = new TransactionTemplate(new DataSourceTransactionManager(dataSource)).execute(status -> {
            int total = 0;
            for (String statement : writeBack.statements()) {
                total += sql.update(statement, parameters);
            }
            return total;
        });
        return rows != null && rows > 0;
    }
}
