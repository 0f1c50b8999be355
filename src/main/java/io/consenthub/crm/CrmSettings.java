package io.consenthub.crm;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CRM connectors declared under {@code consent-hub.crm.connectors} (one file per CRM in
 * {@code config/crm/}). A JDBC connector is nothing but config: a query, a column mapping, an
 * attribute mapping and write-back statements, so any JDBC CRM can be connected without Java.
 * A Salesforce connector names its login and, per object, which fields map to which attributes.
 * A push connector only names itself: its CRM posts records to the hub.
 */
@ConfigurationProperties("consent-hub.crm")
public record CrmSettings(Map<String, Connector> connectors) {

    public CrmSettings {
        connectors = connectors == null ? Map.of() : new LinkedHashMap<>(connectors);
    }

    /**
     * One CRM instance. JDBC connectors may add an {@code optOutQuery}, polled with every tick, for
     * CRMs that record an unsubscribe without touching the record's modification time, and a
     * {@code reconcile} schedule for a full re-scan.
     */
    public record Connector(String kind, boolean enabled, Duration pollPeriod, Jdbc jdbc, String query,
                            String optOutQuery, Reconcile reconcile,
                            Columns columns, Map<String, String> attributes, WriteBack writeBack,
                            Salesforce salesforce, Erase erase) {

        public Connector {
            attributes = attributes == null ? Map.of() : new LinkedHashMap<>(attributes);
            pollPeriod = pollPeriod == null ? Duration.ofSeconds(30) : pollPeriod;
        }

        public boolean writesBack() {
            return enabled && writeBack != null && (!writeBack.statements().isEmpty() || !writeBack.fields().isEmpty());
        }
    }

    /**
     * How an erasure removes the person from this CRM (README "Erasure"). JDBC: {@code statements},
     * run in one CRM transaction with the bound parameter {@code :externalId} (UPDATEs that null
     * the personal fields, or a DELETE of the record). Salesforce: {@code fields} of the record set
     * to null, or {@code deleteRecord: true} to delete it. Without it, an erasure erases the hub's
     * copy only and its certificate says that the CRM kept its own.
     */
    public record Erase(List<String> statements, List<String> fields, boolean deleteRecord) {

        public Erase {
            statements = statements == null ? List.of() : List.copyOf(statements);
            fields = fields == null ? List.of() : List.copyOf(fields);
        }

        public boolean configured() {
            return !statements.isEmpty() || !fields.isEmpty() || deleteRecord;
        }
    }

    /**
     * When a JDBC connector re-reads every record: every {@code period}, or on a Spring
     * {@code cron} expression (six fields, e.g. {@code "0 0 3 * * *"}); one of the two.
     */
    public record Reconcile(Duration period, String cron) {
    }

    /** How to reach a JDBC CRM; {@code initScript} is for demo and test CRMs only. */
    public record Jdbc(String url, String username, String password, String initScript) {
    }

    /** Which query columns carry the record id, modification time, email, soft delete and email opt-out. */
    public record Columns(String externalId, String modified, String email, String deleted, String emailOptOut) {
    }

    /**
     * How the consents block goes back into the CRM. JDBC: {@code statements}, UPDATEs run in one
     * transaction with the named parameters of {@link WriteBackValues}. Salesforce: {@code fields},
     * CRM field → value name ({@code optInStatus}, {@code emailOptOut}, {@code stopProcessing},
     * {@code erasureRequested}, {@code consent.<purpose>}). Flags are written as {@code trueValue}
     * and {@code falseValue} in JDBC CRMs (vtiger stores checkboxes as '1'/'0').
     *
     * <p>{@code existsQuery} (JDBC): a query with {@code :externalId} that returns a row while the
     * CRM holds the record. Statements that update no row are "not found" (refused for good) only
     * when it returns none; without it they are delivered, because a row created lazily (a custom
     * field table) or a conditional UPDATE legitimately matches nothing.
     * {@code clearHubRaisedOptOut}: once the contact is no longer opted out, clear the CRM opt-out
     * flag the hub itself raised (JDBC: the {@code :clearOptOut} parameter is then set, for a
     * statement that clears it; Salesforce: {@code HasOptedOutOfEmail} is cleared). Off by default:
     * clearing an opt-out stays a CRM user's decision.
     */
    public record WriteBack(List<String> statements, Map<String, String> fields, String trueValue, String falseValue,
                            String existsQuery, boolean clearHubRaisedOptOut) {

        public WriteBack {
            statements = statements == null ? List.of() : List.copyOf(statements);
            fields = fields == null ? Map.of() : new LinkedHashMap<>(fields);
            trueValue = trueValue == null ? "1" : trueValue;
            falseValue = falseValue == null ? "0" : falseValue;
            existsQuery = existsQuery == null || existsQuery.isBlank() ? null : existsQuery;
        }
    }

    /**
     * A Salesforce org. {@code authenticationType} is CLIENT_CREDENTIALS, USERNAME_PASSWORD or JWT;
     * secrets only as ${ENV} placeholders. {@code objects}: sObject name (Contact, Lead) → mapping.
     * {@code lookBack}: how far behind each object's watermark every poll re-reads (records
     * committed late with an older SystemModstamp); {@code reconcile}: when every record and the
     * recycle bin's deletions ({@code getDeleted}) are re-read; {@code limitBackoff}: how long the
     * hub holds off when the org's API request limit is reached and Salesforce names no time;
     * {@code reservePercent}: the share of the org's daily allowance the hub leaves to others;
     * {@code bulkThreshold}: an object's initial sync or reconcile reads through a Bulk API 2.0
     * query job once the object holds at least this many records (default 10,000; 0 turns Bulk
     * API 2.0 off), {@code bulkPageSize} records per result page ({@code maxRecords}, default
     * 10,000), the job's state asked after {@code bulkPollInterval} (default 2s), doubling up to
     * 30 s between asks; {@code streaming}: Change Data Capture events pushed by the org (off unless enabled).
     *
     * <p>JWT (the OAuth 2.0 JWT bearer flow, no secret sent over the wire): {@code keystore} is the
     * path of a PKCS12 file holding exactly one private key (the one whose certificate is uploaded
     * to the Connected App; camel-salesforce signs with the store's only key entry), opened with
     * {@code keystorePassword} (the key has the same password); {@code clientId} is the Connected
     * App's consumer key and {@code username} the pre-authorised integration user.
     * {@code jwtAudience}: the assertion's {@code aud}; by default https://test.salesforce.com for a
     * sandbox login URL and https://login.salesforce.com otherwise, the audiences Salesforce documents.
     */
    public record Salesforce(String loginUrl, String instanceUrl, String authenticationType, String clientId,
                             String clientSecret, String username, String password, String apiVersion,
                             Map<String, SObject> objects, Duration lookBack, Reconcile reconcile,
                             Duration limitBackoff, Integer reservePercent, Integer bulkThreshold,
                             Integer bulkPageSize, Duration bulkPollInterval, Streaming streaming, String keystore,
                             String keystorePassword, String jwtAudience, Individual individual) {

        /**
         * The REST API version used unless {@code apiVersion} names one: 65.0 (Winter '26), the
         * newest release when camel-salesforce 4.17 was built (its own default is still 56.0, Winter
         * '23, three years old by then and on Salesforce's path to retirement). The hub's calls are plain REST resources (query,
         * queryAll, describe, limits, getDeleted, sObject Collections) that every version from 42.0
         * on answers the same way, so a later org answers 65.0 as well; set a newer one once tested.
         */
        public static final String DEFAULT_API_VERSION = "65.0";

        public Salesforce {
            loginUrl = loginUrl == null ? "https://login.salesforce.com" : loginUrl;
            authenticationType = authenticationType == null ? "CLIENT_CREDENTIALS" : authenticationType;
            apiVersion = apiVersion == null ? DEFAULT_API_VERSION : apiVersion;
            objects = objects == null ? Map.of() : new LinkedHashMap<>(objects);
            lookBack = lookBack == null ? Duration.ofMinutes(5) : lookBack;
            limitBackoff = limitBackoff == null ? Duration.ofMinutes(15) : limitBackoff;
            reservePercent = reservePercent == null ? 5 : reservePercent;
            bulkThreshold = bulkThreshold == null ? 10_000 : bulkThreshold;
            bulkPageSize = bulkPageSize == null ? 10_000 : bulkPageSize;
            bulkPollInterval = bulkPollInterval == null ? Duration.ofSeconds(2) : bulkPollInterval;
            streaming = streaming == null ? new Streaming(false, null, null) : streaming;
        }
    }

    /**
     * Change Data Capture over the Streaming API (CometD): the org pushes every change of the objects
     * selected for CDC on {@code channel} ({@code /data/ChangeEvents}, an object's
     * {@code /data/ContactChangeEvent} or a custom channel {@code /data/Name__chn}). Opt-outs and
     * deletions are applied from the event itself; other changes of mapped fields are read by Id,
     * one query per event, unless {@code readChanges} is false: then they wait for the next poll and
     * the stream costs no API call at all. Polling goes on as the fallback.
     */
    public record Streaming(boolean enabled, String channel, Boolean readChanges) {

        public Streaming {
            channel = channel == null || channel.isBlank() ? "/data/ChangeEvents" : channel;
            readChanges = readChanges == null || readChanges;
        }
    }

    /**
     * Salesforce's own consent objects, written back beside the record's fields while
     * {@code enabled}: the record's {@code Individual} ({@code IndividualId}; a Person Account's
     * {@code PersonIndividualId}) gets {@code HasOptedOutProcessing} from stopProcessing,
     * {@code ShouldForget} from erasureRequested and {@code HasOptedOutTracking} while the hub holds
     * no consent for {@code trackingPurpose} (each only ever set, never cleared: the hub does not
     * read them, so clearing could undo a request made in Salesforce). {@code dataUsePurposes}: hub
     * purpose → the Id of its {@code DataUsePurpose} record; each gets a
     * {@code ContactPointTypeConsent} (Email, OptIn or OptOut, {@code EffectiveFrom} now) on the
     * Individual, created once and updated when the hub's answer changes.
     */
    public record Individual(boolean enabled, String trackingPurpose, Map<String, String> dataUsePurposes) {

        public Individual {
            trackingPurpose = trackingPurpose == null || trackingPurpose.isBlank() ? null : trackingPurpose;
            dataUsePurposes = dataUsePurposes == null ? Map.of() : new LinkedHashMap<>(dataUsePurposes);
        }
    }

    /**
     * One synced sObject: its email field and its attribute mapping (hub attribute → field).
     *
     * <p>{@code optOutField}: the checkbox that is the record's email opt-out, read as the CRM's
     * opt-out and set by the write-back (default {@code HasOptedOutOfEmail}; a Person Account's is
     * {@code PersonHasOptedOutOfEmail}). {@code where}: an extra SOQL condition every query of the
     * object carries (e.g. {@code IsPersonAccount = true}, so business Accounts are never read);
     * checked at start-up to be nothing but conditions. {@code writeBackFields}: field → value name
     * for this object's records instead of the connector's {@code write-back.fields} (a Person
     * Account carries a Contact's custom field {@code X__c} as {@code X__pc}); the connector's
     * {@code write-back} still decides whether the hub writes back at all.
     *
     * <p>{@code doNotCallField} (e.g. {@code DoNotCall}, a Person Account's {@code PersonDoNotCall})
     * and {@code doNotCallPurpose} (the hub purpose phone calls need, kind custom): a flag set in
     * Salesforce is the contact's opt-out of that purpose, never an opt-in; the write-back sets
     * the flag while the hub holds no consent for it and clears only a flag it raised itself.
     */
    public record SObject(String email, Map<String, String> attributes, String optOutField, String where,
                          Map<String, String> writeBackFields, String doNotCallField, String doNotCallPurpose) {

        public static final String DEFAULT_OPT_OUT_FIELD = "HasOptedOutOfEmail";

        public SObject {
            email = email == null ? "Email" : email;
            attributes = attributes == null ? Map.of() : new LinkedHashMap<>(attributes);
            optOutField = optOutField == null || optOutField.isBlank() ? DEFAULT_OPT_OUT_FIELD : optOutField;
            where = where == null || where.isBlank() ? null : where.trim();
            writeBackFields = writeBackFields == null ? Map.of() : new LinkedHashMap<>(writeBackFields);
            doNotCallField = doNotCallField == null || doNotCallField.isBlank() ? null : doNotCallField;
            doNotCallPurpose = doNotCallPurpose == null || doNotCallPurpose.isBlank() ? null : doNotCallPurpose;
        }

        /** Whether this object's DoNotCall flag maps to a hub purpose. */
        public boolean mapsDoNotCall() {
            return doNotCallField != null && doNotCallPurpose != null;
        }
    }
}
