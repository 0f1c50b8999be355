package io.consenthub.email;

import jakarta.mail.SendFailedException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** SMTP failures reach the outbox and the log with their reply code and text, never with the address they quote. */
class MailErrorTextTest {

    @Test
    void anAddressQuotedInAnSmtpReplyIsReplacedAndTheReplyCodeKept() {
        String text = MailErrorText.of(new SendFailedException("Invalid Addresses; nested exception is: 550 5.1.1 <Ada.Lovelace@Example.org>"
                + "... User unknown; also jörg.müller@bücher.de and (plain@example.com)"));

        assertThat(text).startsWith("SendFailedException: Invalid Addresses").contains("550 5.1.1 <[address]>... User unknown")
                .doesNotContainIgnoringCase("lovelace").doesNotContain("jörg").doesNotContain("plain@").contains("([address])");
    }

    @Test
    void aMessageWithoutAnAddressIsKeptAndControlCharactersCannotForgeALogLine() {
        assertThat(MailErrorText.withoutAddresses("421 4.7.0 Try again later\r\nforged line")).isEqualTo("421 4.7.0 Try again later  forged line");
        assertThat(MailErrorText.of(null)).isEqualTo("unknown error");
    }
}
