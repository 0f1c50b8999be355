package io.consenthub.erasure;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the erasure scan counts as still holding erased data, from the rules in {@link ScanMatcher}:
 * the email in any capitals; the phone's digits whatever the separators, not digits that merely
 * sit in a longer number of other digits broken by letters; a name as a whole word in any
 * capitals, and only where names are looked for.
 */
class ScanMatcherTest {

    private final ScanMatcher matcher = new ScanMatcher(List.of("bo.berg@example.com"), List.of("4685551001"),
            List.of("Berg", "Zebulon"));

    @ParameterizedTest(name = "[{index}] \"{0}\" (names looked for: {1}) -> {2}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            // emails
            "bo.berg@example.com                         | false | email",
            "To: Bo <BO.Berg@Example.COM>                 | false | email",
            "{\"email\":\"bo.berg@example.com\"}          | false | email",
            "bo.berg@example.org                         | false | ''",
            "erased.1234@erased.invalid                  | true  | ''",
            // phones, in any notation
            "+46 8 555 1001                              | false | phone",
            "+46-8-555-10-01                             | false | phone",
            "(46) 8.555.1001                             | false | phone",
            "call 4685551001 today                       | false | phone",
            "+46 8 555 1002                              | false | ''",
            "46a85551001                                 | false | ''",
            // names: whole words, any capitals, only where looked for
            "Berg                                        | true  | name",
            "bo BERG                                     | true  | name",
            "Bergström                                   | true  | ''",
            "Isberg                                      | true  | ''",
            "x+Berg/y                                    | true  | name",
            "Berg                                        | false | ''",
            "Zebulon Berg, bo.berg@example.com, 4685551001 | true | email;phone;name",
            "null                                        | true  | ''",
            "''                                          | true  | ''",
    })
    void findsWhatWasErasedAndNothingElse(String text, boolean withNames, String kinds) {
        List<String> expected = kinds.isEmpty() ? List.of() : Arrays.asList(kinds.split(";"));
        assertThat(matcher.found(text, withNames)).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest(name = "[{index}] phone \"{0}\" -> {1}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "+46 8 555 1001 | 4685551001",
            "070-123 45 67  | 0701234567",
            "12345          | null",
            "n/a            | null",
            "null           | null",
    })
    void aPhoneIsLookedForByItsDigitsWhenItHasEnough(String phone, String digits) {
        assertThat(ScanMatcher.phoneDigits(phone)).isEqualTo(digits);
    }
}
