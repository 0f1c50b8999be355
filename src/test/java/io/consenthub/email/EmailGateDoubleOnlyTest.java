package io.consenthub.email;

import io.consenthub.support.HubTest;
import org.springframework.test.context.TestPropertySource;

/** The recommended default: campaigns reach DOUBLE_OPT_IN only. */
@HubTest
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:h2:mem:gate-double-only;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1",
        "consent-hub.sending-policy=DOUBLE_ONLY"})
class EmailGateDoubleOnlyTest extends EmailGateMatrix {

    @Override
    String expectedTable() {
        return """
                                       CAMPAIGN AUTORESPONDER WORKFLOW AD_HOC REPLY
                NONE                   -        +             +        +      +
                SINGLE_OPT_IN_USER     -        +             +        +      +
                SINGLE_OPT_IN_WEBFORM  -        +             +        +      +
                DOUBLE_OPT_IN          +        +             +        +      +
                OPT_OUT_USER           -        -             -        -      -
                OPT_OUT_CONTACT        -        -             -        -      -
                """.lines().skip(1).reduce("", (a, b) -> a + b + "\n");
    }
}
