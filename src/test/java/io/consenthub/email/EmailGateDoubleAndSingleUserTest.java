package io.consenthub.email;

import io.consenthub.support.HubTest;
import org.springframework.test.context.TestPropertySource;

/** Campaigns also reach contacts a CRM user opted in. */
@HubTest
@TestPropertySource(properties = {
        "spring.datasource.url=jdbc:h2:mem:gate-double-single-user;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1",
        "consent-hub.sending-policy=DOUBLE_AND_SINGLE_USER"})
class EmailGateDoubleAndSingleUserTest extends EmailGateMatrix {

    @Override
    String expectedTable() {
        return """
                                       CAMPAIGN AUTORESPONDER WORKFLOW AD_HOC REPLY
                NONE                   -        +             +        +      +
                SINGLE_OPT_IN_USER     +        +             +        +      +
                SINGLE_OPT_IN_WEBFORM  -        +             +        +      +
                DOUBLE_OPT_IN          +        +             +        +      +
                OPT_OUT_USER           -        -             -        -      -
                OPT_OUT_CONTACT        -        -             -        -      -
                """.lines().skip(1).reduce("", (a, b) -> a + b + "\n");
    }
}
