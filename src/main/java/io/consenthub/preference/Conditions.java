package io.consenthub.preference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.expression.MapAccessor;
import org.springframework.expression.EvaluationException;
import org.springframework.expression.Expression;
import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.expression.spel.support.SimpleEvaluationContext;
import io.consenthub.fields.SensitiveFields;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evaluates the conditions of config (page access, notification, per-consent visibility) against a
 * contact's attributes. A safe subset of SpEL: attributes are read as properties, operators and
 * literals work, but there are no method calls, no type references and no bean access, so a
 * condition in config can never run code. A condition naming an attribute the contact lacks is false.
 * Sensitive attributes are seen only masked ({@code cardNumber == '•••• 1234'}): a condition can
 * never be made to test, and so leak, a plaintext value one guess at a time.
 */
@Component
public class Conditions {

    private static final Logger log = LoggerFactory.getLogger(Conditions.class);

    private final SpelExpressionParser parser = new SpelExpressionParser();
    private final Map<String, Expression> parsed = new ConcurrentHashMap<>();
    private final SimpleEvaluationContext context = SimpleEvaluationContext.forPropertyAccessors(new MapAccessor()).build();
    private final SensitiveFields sensitive;

    Conditions(SensitiveFields sensitive) {
        this.sensitive = sensitive;
    }

    /** True when the condition is blank or holds for these attributes. */
    public boolean test(String condition, Map<String, String> attributes) {
        if (condition == null || condition.isBlank()) {
            return true;
        }
        try {
            Boolean result = parsed.computeIfAbsent(condition, parser::parseExpression).getValue(context, sensitive.masked(attributes), Boolean.class);
            return Boolean.TRUE.equals(result);
        } catch (EvaluationException e) {
            log.debug("condition '{}' is false for these attributes: {}", condition, e.getMessage());
            return false;
        }
    }
}
