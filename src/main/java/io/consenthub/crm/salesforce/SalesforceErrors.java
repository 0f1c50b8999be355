package io.consenthub.crm.salesforce;

import java.util.Map;
import java.util.Set;

/**
 * What a Salesforce error means for the hub, as a pure function of the HTTP status and the error
 * code Salesforce sent (the codes of the REST API's error responses and of sObject Collections'
 * per-record results). One place for the rule, so the poll, the write-back and their tests agree:
 * <ul>
 * <li>{@link Kind#PERMANENT}: the same request will fail again until someone changes the record or
 * the org (a duplicate rule, a validation rule, a converted Lead, a deleted record, a field the
 * integration user may not write). A write-back is refused once, with the code.</li>
 * <li>{@link Kind#LIMIT}: the org's API request limit is reached. Nothing is sent until it has room.</li>
 * <li>{@link Kind#UNAVAILABLE}: the org is down for maintenance or overloaded (503); waited out.</li>
 * <li>{@link Kind#LOGIN}: the login was refused (wrong client id, secret, user or My Domain URL).</li>
 * <li>{@link Kind#RETRY}: anything else (a row lock, a timeout, an unknown code): retried with backoff.</li>
 * </ul>
 */
final class SalesforceErrors {

    enum Kind {
        PERMANENT,
        LIMIT,
        UNAVAILABLE,
        LOGIN,
        RETRY
    }

    /** Codes that no retry changes. */
    static final Set<String> PERMANENT_CODES = Set.of(
            "DUPLICATE_VALUE", "DUPLICATES_DETECTED", "CANNOT_UPDATE_CONVERTED_LEAD", "INVALID_FIELD",
            "INVALID_FIELD_FOR_INSERT_UPDATE", "FIELD_CUSTOM_VALIDATION_EXCEPTION", "FIELD_INTEGRITY_EXCEPTION",
            "ENTITY_IS_DELETED", "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "STRING_TOO_LONG", "MALFORMED_ID",
            "INVALID_ID_FIELD", "INVALID_CROSS_REFERENCE_KEY", "INSUFFICIENT_ACCESS_OR_READONLY",
            "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY", "INVALID_TYPE", "INVALID_TYPE_ON_FIELD_IN_RECORD",
            "REQUIRED_FIELD_MISSING", "NOT_FOUND", "INVALID_EMAIL_ADDRESS", "JSON_PARSER_ERROR", "MALFORMED_QUERY",
            "INVALID_TYPE_FOR_OPERATION", "API_DISABLED_FOR_ORG");

    /** Codes that say the org has run out of API requests. */
    static final Set<String> LIMIT_CODES = Set.of("REQUEST_LIMIT_EXCEEDED", "TXN_SECURITY_API_LIMIT");

    /** Codes that say the org is temporarily unable to answer. */
    static final Set<String> UNAVAILABLE_CODES = Set.of("SERVER_UNAVAILABLE", "SERVICE_UNAVAILABLE");

    /** Codes a login answers with (OAuth {@code error}) and what they mean to an operator. */
    static final Map<String, String> LOGIN_ERRORS = Map.of(
            "invalid_client", "the client id or secret is wrong, or the Connected App does not allow this flow",
            "invalid_client_id", "the client id is not a Connected App of this org",
            "invalid_grant", "the user, password or security token is wrong, or the client credentials flow has no run-as user;"
                    + " for JWT: the key does not match the Connected App's certificate, the audience is not the login URL,"
                    + " or the user is not pre-authorised for the app",
            "unsupported_grant_type", "the Connected App does not allow this login flow",
            "inactive_user", "the integration user is inactive",
            "inactive_org", "the org is inactive",
            "invalid_request", "the login request is incomplete (is the login URL the org's My Domain URL?)");

    private SalesforceErrors() {
    }

    /** The kind of a failed call or record: by code first, then by HTTP status ({@code 0}: no status, e.g. a record result). */
    static Kind of(int status, String code) {
        if (code != null) {
            if (LIMIT_CODES.contains(code)) {
                return Kind.LIMIT;
            }
            if (UNAVAILABLE_CODES.contains(code)) {
                return Kind.UNAVAILABLE;
            }
            if (PERMANENT_CODES.contains(code)) {
                return Kind.PERMANENT;
            }
            if (LOGIN_ERRORS.containsKey(code) || "INVALID_SESSION_ID".equals(code) && status == 401) {
                return Kind.LOGIN;
            }
        }
        if (status == 503 || status == 429) {
            return Kind.UNAVAILABLE;
        }
        if (status == 404) {
            return Kind.PERMANENT;
        }
        return Kind.RETRY;
    }

    /** Whether a refused write-back should read "not found in the CRM" rather than a refusal by a rule. */
    static boolean recordGone(String code) {
        return "ENTITY_IS_DELETED".equals(code) || "NOT_FOUND".equals(code) || "INVALID_CROSS_REFERENCE_KEY".equals(code);
    }
}
