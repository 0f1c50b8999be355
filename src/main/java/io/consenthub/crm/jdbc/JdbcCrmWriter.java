package io.consenthub.crm.jdbc;

import io.consenthub.crm.CrmSettings;
import io.consenthub.crm.CrmWriter;
import io.consenthub.crm.WriteBackValues;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.sql.ResultSet;
import java.util.Map;

/**
 * Writes the consents block into a JDBC CRM with the connector's configured UPDATE statements,
 * all in one CRM transaction and with bound named parameters only ({@link WriteBackValues}).
 * Statements that update no row are not taken for a missing record: a custom-field row the CRM
 * creates lazily, or a conditional UPDATE (raise the flag unless raised), match nothing and are
 * delivered. Only the connector's {@code exists-query}, returning no row, says "not found".
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
        Boolean found = new TransactionTemplate(new DataSourceTransactionManager(dataSource)).execute(status -> {
            int total = 0;
            for (String statement : writeBack.statements()) {
                total += sql.update(statement, parameters);
            }
            if (total > 0 || writeBack.existsQuery() == null) {
                return true;
            }
            Boolean exists = sql.query(writeBack.existsQuery(), Map.of("externalId", externalId),
                    (ResultSetExtractor<Boolean>) ResultSet::next);
            if (!Boolean.TRUE.equals(exists)) {
                status.setRollbackOnly();
                return false;
            }
            return true;
        });
        return Boolean.TRUE.equals(found);
    }

    /**
     * Runs the connector's erase statements for one record in one CRM transaction. "Not found"
     * only when they changed no row and the write-back's {@code exists-query} (when configured)
     * finds no record; otherwise a statement that matched nothing (a custom-field row never
     * created) is simply nothing to erase.
     */
    @Override
    public boolean erase(String connectorId, CrmSettings.Connector connector, String externalId) {
        DataSource dataSource = dataSources.get(connectorId, connector);
        var sql = new NamedParameterJdbcTemplate(dataSource);
        var parameters = Map.of("externalId", externalId);
        Boolean found = new TransactionTemplate(new DataSourceTransactionManager(dataSource)).execute(status -> {
            int total = 0;
            for (String statement : connector.erase().statements()) {
                total += sql.update(statement, parameters);
            }
            String exists = connector.writeBack() == null ? null : connector.writeBack().existsQuery();
            return total > 0 || exists == null
                    || Boolean.TRUE.equals(sql.query(exists, parameters, (ResultSetExtractor<Boolean>) ResultSet::next));
        });
        return Boolean.TRUE.equals(found);
    }
}
