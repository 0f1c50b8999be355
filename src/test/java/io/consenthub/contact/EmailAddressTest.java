package io.consenthub.contact;

import io.consenthub.shared.InvalidInputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one email normaliser: what is shown, what is matched, what SMTP carries, what is refused. */
class EmailAddressTest {

    @ParameterizedTest(name = "{0} shows {1}, matches {2}, travels as {3}")
    @CsvSource(delimiter = '|', value = {
            "anna@example.com                | anna@example.com          | anna@example.com          | anna@example.com          | false",
            "  W9.CaseTest@Example.com       | W9.CaseTest@Example.com   | w9.casetest@example.com   | W9.CaseTest@example.com   | false",
            "info@bücher.de                  | info@bücher.de            | info@xn--bcher-kva.de     | info@xn--bcher-kva.de     | false",
            "info@BÜCHER.de                  | info@bücher.de            | info@xn--bcher-kva.de     | info@xn--bcher-kva.de     | false",
            "Info@xn--bcher-kva.de           | Info@bücher.de            | info@xn--bcher-kva.de     | Info@xn--bcher-kva.de     | false",
            "jörg.müller@example.de          | jörg.müller@example.de    | jörg.müller@example.de    | jörg.müller@example.de    | true",
            "JÖRG@bücher.de                  | JÖRG@bücher.de            | jörg@xn--bcher-kva.de     | JÖRG@xn--bcher-kva.de     | true",
            "用户@例子.广告                    | 用户@例子.广告              | 用户@xn--fsqu00a.xn--4rr70v | 用户@xn--fsqu00a.xn--4rr70v | true",
    })
    void acceptsInternationalAddresses(String given, String shown, String key, String transport, boolean utf8Local) {
        var email = new EmailAddress(given);

        assertThat(email.value()).isEqualTo(shown);
        assertThat(email.key()).isEqualTo(key);
        assertThat(email.transportForm()).isEqualTo(transport);
        assertThat(email.hasUtf8LocalPart()).isEqualTo(utf8Local);
    }

    @ParameterizedTest
    @ValueSource(strings = {"anna@\u202Eexample.com", "an\u202Ena@example.com", "anna\u0000@example.com", "an\nna@example.com",
            "anna@exa\u2066mple.com", "an\u200Fna@example.com"})
    void refusesControlAndBidiCharactersWithoutEchoingThem(String given) {
        assertThatThrownBy(() -> new EmailAddress(given)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("control or bidirectional-formatting");
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "@example.com", "anna@", "anna@localhost", "a..b@example.com", ".a@example.com",
            "anna@exa_mple.com", "an na@example.com", "anna@-example.com", "jörg™@example.de"})
    void refusesWhatIsNoAddress(String given) {
        assertThatThrownBy(() -> new EmailAddress(given)).isInstanceOf(InvalidInputException.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Anna                 | Anna",
            "'Anna\u202Etxt.exe'  | Annatxt.exe",
            "'Bo\u2067\u2069 Ek'  | Bo Ek",
            "'Line\nbreak'        | Line break",
    })
    void displayTextTakesOutHiddenCharacters(String given, String shown) {
        assertThat(DisplayText.safe(given)).isEqualTo(shown);
    }
}
