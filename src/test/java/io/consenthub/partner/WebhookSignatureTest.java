package io.consenthub.partner;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookSignatureTest {

    // The example of the Standard Webhooks reference libraries (secret, id, timestamp, body, signature).
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330;
    private static final String BODY = "{\"test\": 2432232314}";

    @Test
    void signsAsTheStandardWebhooksReferenceDoes() {
        assertThat(WebhookSignature.sign(SECRET, ID, TIMESTAMP, BODY)).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void verifiesItsOwnSignatureAmongOthersWithinTheTolerance() {
        Instant now = Instant.ofEpochSecond(TIMESTAMP + 60);
        String header = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= " + WebhookSignature.sign(SECRET, ID, TIMESTAMP, BODY);
        assertThat(WebhookSignature.verify(SECRET, ID, String.valueOf(TIMESTAMP), header, BODY, now)).isTrue();
    }

    @Test
    void refusesAnAlteredBodyAnotherIdAnOldTimestampOrAnotherSecret() {
        Instant now = Instant.ofEpochSecond(TIMESTAMP);
        String signature = WebhookSignature.sign(SECRET, ID, TIMESTAMP, BODY);
        assertThat(WebhookSignature.verify(SECRET, ID, String.valueOf(TIMESTAMP), signature, BODY + " ", now)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, "msg_other", String.valueOf(TIMESTAMP), signature, BODY, now)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, ID, String.valueOf(TIMESTAMP), signature, BODY,
                now.plus(WebhookSignature.TOLERANCE).plusSeconds(1))).isFalse();
        assertThat(WebhookSignature.verify(WebhookSignature.newSecret(), ID, String.valueOf(TIMESTAMP), signature, BODY, now)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, ID, "not-a-number", signature, BODY, now)).isFalse();
    }
}
