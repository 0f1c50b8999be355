package io.consenthub.crm.salesforce;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The classification of Salesforce errors, case by case from the REST API's documented codes and statuses. */
class SalesforceErrorsTest {

    @ParameterizedTest(name = "HTTP {0} {1} is {2}")
    @CsvSource(nullValues = "-", value = {
            // a rule, a record's state or a permission: the same write fails again
            "0,   DUPLICATE_VALUE,                    PERMANENT",
            "0,   DUPLICATES_DETECTED,                PERMANENT",
            "0,   CANNOT_UPDATE_CONVERTED_LEAD,       PERMANENT",
            "400, INVALID_FIELD,                      PERMANENT",
            "0,   FIELD_CUSTOM_VALIDATION_EXCEPTION,  PERMANENT",
            "0,   ENTITY_IS_DELETED,                  PERMANENT",
            "0,   INVALID_FIELD_FOR_INSERT_UPDATE,    PERMANENT",
            "0,   STRING_TOO_LONG,                    PERMANENT",
            "0,   INSUFFICIENT_ACCESS_OR_READONLY,    PERMANENT",
            "404, NOT_FOUND,                          PERMANENT",
            "404, -,                                  PERMANENT",
            // the org's limit: nothing is sent until it has room
            "403, REQUEST_LIMIT_EXCEEDED,             LIMIT",
            "0,   REQUEST_LIMIT_EXCEEDED,             LIMIT",
            // the org is away
            "503, -,                                  UNAVAILABLE",
            "503, SERVER_UNAVAILABLE,                 UNAVAILABLE",
            "429, -,                                  UNAVAILABLE",
            // the login
            "400, invalid_client,                     LOGIN",
            "400, invalid_grant,                      LOGIN",
            "400, invalid_client_id,                  LOGIN",
            // anything else is retried with backoff
            "0,   UNABLE_TO_LOCK_ROW,                 RETRY",
            "500, UNKNOWN_EXCEPTION,                  RETRY",
            "0,   SOME_FUTURE_CODE,                   RETRY",
            "0,   -,                                  RETRY",
            "401, INVALID_SESSION_ID,                 LOGIN"})
    void eachErrorHasItsKind(int status, String code, SalesforceErrors.Kind kind) {
        assertThat(SalesforceErrors.of(status, code)).isEqualTo(kind);
    }

    @ParameterizedTest(name = "{0} means the record is gone: {1}")
    @CsvSource({"ENTITY_IS_DELETED, true", "NOT_FOUND, true", "INVALID_CROSS_REFERENCE_KEY, true",
            "DUPLICATE_VALUE, false", "CANNOT_UPDATE_CONVERTED_LEAD, false"})
    void aRecordThatIsGoneReadsNotFound(String code, boolean gone) {
        assertThat(SalesforceErrors.recordGone(code)).isEqualTo(gone);
    }
}
