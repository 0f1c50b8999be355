package io.consenthub.contact;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** How a CRM's {@code language} attribute (or a page's locale) is read as one of the hub's languages. */
class ContactLanguagesTest {

    @ParameterizedTest(name = "''{0}'' is {1}")
    @CsvSource(value = {"sv, sv", "SV, sv", "sv-SE, sv", "sv_FI, sv", "Swedish, sv", "svenska, sv", " sv , sv",
            "en, en", "en-GB, en", "English, en", "de, -", "German, -", "'', -", "xx-sv, -"}, nullValues = "-")
    void aLanguageAttributeIsReadAsEnglishSwedishOrNothing(String attribute, String language) {
        assertThat(ContactLanguages.supported(attribute).orElse(null)).isEqualTo(language);
    }
}
