package io.consenthub.fields;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The mask rules of {@link FieldMask}, case by case as its Javadoc states them. */
class FieldMaskTest {

    @ParameterizedTest(name = "{0} of ''{1}'' shows ''{2}''")
    @CsvSource(delimiter = '|', value = {
            // the forms of config
            "last-4          | 4111 1111 1111 1234 | •••• 1234",
            "last-4          | 4111-1111-1111-1234 | •••• 1234",
            "first-2         | SE12345678          | SE ••••",
            "first-6-last-4  | 41111111111111111234 | 411111 •••• 1234",
            "first-6-last-4  | 4111111111111234    | 4111 •••• 1234",
            "none            | 19850101-1234       | ••••",
            // never more than half exposed, the last characters first
            "last-4          | 123456              | •••• 456",
            "last-4          | 1234                | •••• 34",
            "last-4          | 1                   | ••••",
            "first-6-last-4  | 1234567890          | 1 •••• 7890",
            "first-6-last-4  | 12345678            | •••• 5678",
            "first-2         | ABC                 | A ••••",
            // separators neither count nor show; letters and digits of any script do
            "last-4          | 'a-b c.d:e'         | •••• de",
            "last-2          | Åsa Öberg           | •••• rg",
            "last-4          | ' - '               | ••••",
    })
    void masksAsTheRulesSay(String mask, String value, String shown) {
        assertThat(FieldMask.parse(mask)).isPresent();
        assertThat(FieldMask.parse(mask).orElseThrow().apply(value)).isEqualTo(shown);
    }

    @Test
    void theHiddenPartTellsNoLength() {
        FieldMask last4 = FieldMask.parse("last-4").orElseThrow();
        assertThat(last4.apply("4111111111111234")).isEqualTo(last4.apply("99991234"));
    }

    @ParameterizedTest(name = "''{0}'' is not a mask")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {"NULL", "''", "last", "last-", "last-x", "first-4-last", "middle-4",
            "last-100", "LAST-4", "first-2,last-2"})
    void onlyTheDocumentedFormsParse(String text) {
        assertThat(FieldMask.parse(text)).isEmpty();
    }

    @ParameterizedTest(name = "{0} is searchable: {1}")
    @CsvSource({"last-4,true", "first-2,true", "first-6-last-4,false", "none,false"})
    void onlyOneExposedPartIsSearchable(String mask, boolean searchable) {
        assertThat(FieldMask.parse(mask).orElseThrow().searchable()).isEqualTo(searchable);
    }

    @Test
    void aQueryMatchesTheExposedCharactersCaseFoldedAndWithoutSeparators() {
        FieldMask last4 = FieldMask.parse("last-4").orElseThrow();
        assertThat(FieldMask.queryKey(" 1234 ")).isEqualTo(last4.exposedKey("4111 1111 1111 1234"));
        FieldMask first2 = FieldMask.parse("first-2").orElseThrow();
        assertThat(FieldMask.queryKey("se")).isEqualTo(first2.exposedKey("SE-12345678"));
        assertThat(FieldMask.queryKey("1235")).isNotEqualTo(last4.exposedKey("4111 1111 1111 1234"));
    }

    @Test
    void writtenBackAsConfigWritesIt() {
        for (String text : new String[] {"none", "last-4", "first-2", "first-6-last-4"}) {
            assertThat(FieldMask.parse(text).orElseThrow()).hasToString(text);
        }
    }
}
