package io.consenthub.support;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Runs PostgreSQL-backed tests when PostgreSQL answers on 127.0.0.1:5432. Off CI an unreachable
 * server skips them with a note; with {@code CI=true} it fails the build, so CI can never pass
 * without having run them.
 */
public class RequiresPostgres implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        try (var connection = DriverManager.getConnection(PostgresTestDatabase.ADMIN_URL, "postgres", "")) {
            return ConditionEvaluationResult.enabled("PostgreSQL answers: " + connection.getMetaData().getDatabaseProductVersion());
        } catch (SQLException e) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException("PostgreSQL at 127.0.0.1:5432 is unreachable and CI=true: "
                        + "PostgreSQL-backed tests must run in CI (" + e.getMessage() + ")", e);
            }
            return ConditionEvaluationResult.disabled("PostgreSQL at 127.0.0.1:5432 is unreachable; skipped off CI: " + e.getMessage());
        }
    }
}
