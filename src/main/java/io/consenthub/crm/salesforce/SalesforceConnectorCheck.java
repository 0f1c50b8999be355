package io.consenthub.crm.salesforce;

import io.consenthub.consent.Purpose;
import io.consenthub.consent.PurposeCatalog;
import io.consenthub.consent.PurposeKind;
import io.consenthub.crm.ConnectorCheck;
import io.consenthub.crm.CrmSettings;
import io.consenthub.crm.WriteBackValues;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A Salesforce connector's own start-up checks: a login the hub can actually make, an API
 * version Salesforce can answer, and per object an opt-out field, an extra condition that is
 * nothing but a condition ({@link SoqlFilter}) and write-back fields naming known values. Without them a typo in the authentication type or a JWT
 * keystore that cannot be opened would only show as every poll failing; here the hub refuses to
 * start and names the key. The keystore is opened once (path, password, exactly one private key
 * with a certificate, as camel-salesforce signs with the store's only key entry); the key itself
 * is not kept.
 */
@Component
class SalesforceConnectorCheck implements ConnectorCheck {

    static final String JWT = "JWT";
    /** The login flows the hub wires into camel-salesforce. */
    static final Set<String> AUTHENTICATION_TYPES = Set.of("CLIENT_CREDENTIALS", "USERNAME_PASSWORD", JWT);
    /** Salesforce's REST API versions are whole numbers with ".0" (v20.0 up to the current release). */
    private static final Pattern API_VERSION = Pattern.compile("[1-9][0-9]\\.0");

    private static final Pattern FIELD = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,79}");
    private static final Pattern RECORD_ID = Pattern.compile("[A-Za-z0-9]{15}([A-Za-z0-9]{3})?");
    /** The kinds of purpose a CRM's sync may record an answer for (as {@code ConsentRecords} allows). */
    private static final Set<PurposeKind> CRM_RECORDABLE = Set.of(PurposeKind.CUSTOM, PurposeKind.EMAIL_LIST, PurposeKind.TRACKING);

    private final Supplier<Collection<Purpose>> purposes;

    @Autowired
    SalesforceConnectorCheck(PurposeCatalog catalog) {
        this(catalog::all);
    }

    SalesforceConnectorCheck(Supplier<Collection<Purpose>> purposes) {
        this.purposes = purposes;
    }

    /** Records per Bulk API 2.0 result page at most: 50,000 records of up to about 1.3 KB fit the client's buffer. */
    static final int MAX_BULK_PAGE = 50_000;

    @Override
    public String kind() {
        return "salesforce";
    }

    @Override
    public void check(String connectorId, CrmSettings.Connector connector, List<String> problems) {
        CrmSettings.Salesforce org = connector.salesforce();
        if (org == null) {
            return;
        }
        String at = "consent-hub.crm.connectors." + connectorId + ".salesforce.";
        String type = org.authenticationType().toUpperCase(Locale.ROOT);
        if (!AUTHENTICATION_TYPES.contains(type)) {
            problems.add(at + "authentication-type: must be one of " + new TreeSet<>(AUTHENTICATION_TYPES) + ", is "
                    + org.authenticationType());
        }
        if (blank(org.clientId())) {
            problems.add(at + "client-id: required (the Connected App's consumer key)");
        }
        if (JWT.equals(type)) {
            jwtProblems(at, org, problems);
        } else if (AUTHENTICATION_TYPES.contains(type) && blank(org.clientSecret())) {
            problems.add(at + "client-secret: required for " + type + " (the Connected App's consumer secret, as an ${ENV} placeholder)");
        }
        if ("USERNAME_PASSWORD".equals(type) && (blank(org.username()) || blank(org.password()))) {
            problems.add(at + "username, password: both required for USERNAME_PASSWORD (the password followed by the user's security token)");
        }
        if (!API_VERSION.matcher(org.apiVersion()).matches()) {
            problems.add(at + "api-version: must be a Salesforce REST API version such as "
                    + CrmSettings.Salesforce.DEFAULT_API_VERSION + ", is " + org.apiVersion());
        }
        bulkProblems(at, org, problems);
        org.objects().forEach((objectName, mapping) -> objectProblems(at + "objects." + objectName + ".", mapping, problems));
        if (org.individual() != null) {
            individualProblems(at + "individual.", org.individual(), problems);
        }
    }

    /**
     * Bulk API 2.0 settings within what works: a result page must fit the HTTP client's buffer
     * ({@link SalesforceClient#MAX_ANSWER_BYTES}), so pages are at most {@link #MAX_BULK_PAGE} records.
     */
    private static void bulkProblems(String at, CrmSettings.Salesforce org, List<String> problems) {
        if (org.bulkThreshold() < 0) {
            problems.add(at + "bulk-threshold: 0 (Bulk API 2.0 off) or a number of records, is " + org.bulkThreshold());
        }
        if (org.bulkPageSize() < 1 || org.bulkPageSize() > MAX_BULK_PAGE) {
            problems.add(at + "bulk-page-size: between 1 and " + MAX_BULK_PAGE + " records per result page, is " + org.bulkPageSize());
        }
        if (org.bulkPollInterval().isNegative() || org.bulkPollInterval().isZero()
                || org.bulkPollInterval().compareTo(java.time.Duration.ofMinutes(1)) > 0) {
            problems.add(at + "bulk-poll-interval: longer than 0 and at most 1m (the first wait before asking a job's state), is "
                    + org.bulkPollInterval());
        }
    }

    /** The purposes the consent objects name exist; a DataUsePurpose is named by its record Id. */
    private void individualProblems(String at, CrmSettings.Individual individual, List<String> problems) {
        List<String> known = purposes.get().stream().map(Purpose::id).toList();
        if (individual.trackingPurpose() != null && !known.contains(individual.trackingPurpose())) {
            problems.add(at + "tracking-purpose: unknown purpose '" + individual.trackingPurpose() + "'; known: " + known);
        }
        individual.dataUsePurposes().forEach((purpose, id) -> {
            if (!known.contains(purpose)) {
                problems.add(at + "data-use-purposes: unknown purpose '" + purpose + "'; known: " + known);
            }
            if (id == null || !RECORD_ID.matcher(id).matches()) {
                problems.add(at + "data-use-purposes." + purpose + ": must be the Id of a DataUsePurpose record (15 or 18 characters)");
            }
        });
    }

    /** An object's opt-out field, extra condition and own write-back fields. */
    private void objectProblems(String at, CrmSettings.SObject mapping, List<String> problems) {
        if (!FIELD.matcher(mapping.optOutField()).matches()) {
            problems.add(at + "opt-out-field: '" + mapping.optOutField() + "' is not a field name");
        }
        if (mapping.where() != null) {
            String problem = SoqlFilter.problem(mapping.where());
            if (problem != null) {
                problems.add(at + "where: must be a plain SOQL condition (field, operator, value; AND, OR, NOT, parentheses): "
                        + problem);
            }
        }
        doNotCallProblems(at, mapping, problems);
        List<String> known = WriteBackValues.names(purposes.get());
        mapping.writeBackFields().forEach((field, value) -> {
            if (!FIELD.matcher(field).matches()) {
                problems.add(at + "write-back-fields: '" + field + "' is not a field name");
            }
            if (!known.contains(value)) {
                problems.add(at + "write-back-fields: unknown value '" + value + "'; known: " + known);
            }
        });
    }

    /** DoNotCall maps to a purpose a CRM may record a refusal of; the field and the purpose come together. */
    private void doNotCallProblems(String at, CrmSettings.SObject mapping, List<String> problems) {
        if ((mapping.doNotCallField() == null) != (mapping.doNotCallPurpose() == null)) {
            problems.add(at + (mapping.doNotCallField() == null ? "do-not-call-field" : "do-not-call-purpose")
                    + ": do-not-call-field and do-not-call-purpose are set together (the flag and the hub purpose it refuses)");
            return;
        }
        if (mapping.doNotCallField() != null && !FIELD.matcher(mapping.doNotCallField()).matches()) {
            problems.add(at + "do-not-call-field: '" + mapping.doNotCallField() + "' is not a field name");
        }
        if (mapping.doNotCallPurpose() != null) {
            Purpose purpose = purposes.get().stream().filter(p -> p.id().equals(mapping.doNotCallPurpose())).findFirst().orElse(null);
            if (purpose == null) {
                problems.add(at + "do-not-call-purpose: unknown purpose '" + mapping.doNotCallPurpose() + "'; known: "
                        + purposes.get().stream().map(Purpose::id).toList());
            } else if (!CRM_RECORDABLE.contains(purpose.kind())) {
                problems.add(at + "do-not-call-purpose: '" + purpose.id() + "' is of kind " + purpose.kind()
                        + ", which a CRM may not record; use a custom purpose");
            }
        }
    }

    private static void jwtProblems(String at, CrmSettings.Salesforce org, List<String> problems) {
        if (blank(org.username())) {
            problems.add(at + "username: required for JWT (the pre-authorised integration user the assertion names)");
        }
        if (blank(org.keystore())) {
            problems.add(at + "keystore: required for JWT (a PKCS12 file holding the private key of the Connected App's certificate)");
            return;
        }
        if (blank(org.keystorePassword())) {
            problems.add(at + "keystore-password: required for JWT (as an ${ENV} placeholder)");
            return;
        }
        String problem = keystoreProblem(Path.of(org.keystore()), org.keystorePassword());
        if (problem != null) {
            problems.add(at + "keystore: " + problem);
        }
    }

    /** Why camel-salesforce could not sign with this store, or null. Names the path only, never the password. */
    static String keystoreProblem(Path file, String password) {
        if (!Files.isReadable(file)) {
            return file.toAbsolutePath() + " cannot be read";
        }
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            var keyEntries = new ArrayList<String>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    keyEntries.add(alias);
                }
            }
            if (keyEntries.size() != 1) {
                return file.toAbsolutePath() + " holds " + keyEntries.size()
                        + " private keys; camel-salesforce signs with the store's only key, so it must hold exactly one";
            }
            String alias = keyEntries.get(0);
            if (!(store.getKey(alias, password.toCharArray()) instanceof PrivateKey key) || !"RSA".equals(key.getAlgorithm())) {
                return "the key in " + file.toAbsolutePath() + " is not an RSA private key (Salesforce's JWT flow signs with RS256)";
            }
            if (store.getCertificate(alias) == null) {
                return "the key in " + file.toAbsolutePath() + " has no certificate (upload that certificate to the Connected App)";
            }
            return null;
        } catch (java.io.IOException e) {
            return file.toAbsolutePath() + " cannot be opened as PKCS12 with keystore-password (wrong password or not a PKCS12 file)";
        } catch (java.security.GeneralSecurityException e) {
            return file.toAbsolutePath() + " cannot be read: " + e.getClass().getSimpleName();
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
