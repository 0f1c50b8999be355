package io.consenthub.support;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Runs MariaDB-backed tests (a real vtiger database) when MariaDB answers on 127.0.0.1:3306.
 * Like {@link RequiresPostgres}: skipped with a note off CI, a build failure with {@code CI=true}.
 */
public class RequiresMariaDb implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        try (var connection = DriverManager.getConnection(MariaDbTestDatabase.SERVER_URL, "root", "")) {
            return ConditionEvaluationResult.enabled("MariaDB answers: " + connection.getMetaData().getDatabaseProductVersion());
        } catch (SQLException e) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException("MariaDB at 127.0.0.1:3306 is unreachable and CI=true: "
                        + "MariaDB-backed tests must run in CI (" + e.getMessage() + ")", e);
            }
            return ConditionEvaluationResult.disabled("MariaDB at 127.0.0.1:3306 is unreachable; skipped off CI: " + e.getMessage());
        }
    }
}
