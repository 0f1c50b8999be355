package io.consenthub.fields;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link RevealRules}, one row per case of its Javadoc, in its order. */
class RevealRulesTest {

    @ParameterizedTest(name = "[{index}] field={0} sensitive={1} keyMayReveal={2} reason=''{3}'' value={4} -> {5} {6}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            // 1. not sensitive: nothing to reveal, whatever else holds
            "firstName  | false | firstName           | to bill      | true  | not-a-sensitive-field | 400",
            // 2. the key must name the field; another field's permission, or none, is not enough
            "cardNumber | true  | ''                  | to bill      | true  | no-reveal-permission  | 403",
            "cardNumber | true  | nationalId          | to bill      | true  | no-reveal-permission  | 403",
            // ... checked before the reason and before the value, so a refused key learns nothing more
            "cardNumber | true  | nationalId          | NULL         | false | no-reveal-permission  | 403",
            // 3. a reason, trimmed, of 3 to 500 characters
            "cardNumber | true  | cardNumber          | NULL         | true  | reason-required       | 400",
            "cardNumber | true  | cardNumber          | '   ok   '   | true  | reason-required       | 400",
            "cardNumber | true  | cardNumber          | 'ok!'        | true  | revealed              | 200",
            "cardNumber | true  | cardNumber          | LONG         | true  | reason-too-long       | 400",
            // ... checked before the value
            "cardNumber | true  | cardNumber          | NULL         | false | reason-required       | 400",
            // 4. a readable value
            "cardNumber | true  | cardNumber          | to bill      | false | no-value              | 404",
            "cardNumber | true  | cardNumber,nationalId | to bill    | true  | revealed              | 200",
    })
    void decidesAsTheRulesSay(String field, boolean sensitive, String mayReveal, String reason, boolean hasValue,
                              String rule, int status) {
        Set<String> permissions = mayReveal.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(mayReveal.split(",")));
        String r = "LONG".equals(reason) ? "x".repeat(RevealRules.MAX_REASON + 1) : reason;

        RevealRules.Verdict verdict = RevealRules.decide(field, sensitive, permissions, r, hasValue);

        assertThat(verdict.rule()).isEqualTo(rule);
        assertThat(verdict.status()).isEqualTo(status);
        assertThat(verdict.allowed()).isEqualTo(status == 200);
        assertThat(verdict.message()).isNotBlank();
    }
}
