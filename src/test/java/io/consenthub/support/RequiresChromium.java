package io.consenthub.support;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs real-browser tests when Debian's chromium and chromium-driver are installed. Off CI their
 * absence skips the tests with a note; with {@code CI=true} it fails the build (.ci/run installs them).
 */
public class RequiresChromium implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (Files.isExecutable(Path.of(Browser.CHROMIUM)) && Files.isExecutable(Path.of(Browser.CHROMEDRIVER))) {
            return ConditionEvaluationResult.enabled("chromium and chromedriver are installed");
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true but " + Browser.CHROMIUM + " or " + Browser.CHROMEDRIVER
                    + " is missing: install the Debian packages chromium and chromium-driver");
        }
        return ConditionEvaluationResult.disabled("chromium/chromedriver not installed (apt-get install chromium chromium-driver)");
    }
}
