package io.consenthub.crm.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import io.consenthub.consent.ActorKind;
import io.consenthub.consent.ConsentRecords;
import io.consenthub.consent.Evidence;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.CrmLink;
import io.consenthub.crm.CrmSettings;
import io.consenthub.crm.WriteBackValues;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Salesforce's {@code DoNotCall} ({@code PersonDoNotCall} on a Person Account) as the hub's
 * phone purpose, for objects that map it ({@code do-not-call-field}, {@code do-not-call-purpose}).
 *
 * <p>Read: a flag set in Salesforce is the contact's refusal of the purpose, recorded with the
 * CRM as actor (once: the ledger ignores an answer the contact already holds); a flag not set is
 * never an opt-in. Write: the flag is set while the hub holds no consent for the purpose, and the
 * hub notes that it raised it ({@code sf_do_not_call}), because read back after the contact has
 * granted the purpose it would undo that grant. Once the hub holds the consent it clears the flags
 * it raised; a flag a Salesforce user set is never cleared by the hub.
 */
@Component
class SalesforceDoNotCall {

    private final JdbcClient jdbc;
    private final ContactDirectory contacts;
    private final ConsentRecords consents;
    private final TransactionTemplate tx;
    private final Clock clock;

    SalesforceDoNotCall(JdbcClient jdbc, ContactDirectory contacts, ConsentRecords consents, TransactionTemplate tx, Clock clock) {
        this.jdbc = jdbc;
        this.contacts = contacts;
        this.consents = consents;
        this.tx = tx;
        this.clock = clock;
    }

    /**
     * A record read from Salesforce: its flag, if set by Salesforce (not by the hub), revokes the
     * purpose. A flag the hub raised after the page was asked for ({@code requestedAt}) cannot be
     * what was read: the flag read is Salesforce's own, and stays Salesforce's (the hub's note goes).
     */
    void read(String connectorId, CrmSettings.SObject mapping, JsonNode record, Instant requestedAt) {
        if (!mapping.mapsDoNotCall() || !record.path(mapping.doNotCallField()).asBoolean(false)
                || record.path("IsDeleted").asBoolean(false) || record.path("IsConverted").asBoolean(false)) {
            return;
        }
        String id = record.path("Id").asText(null);
        if (id == null) {
            return;
        }
        Instant raised = raisedAt(connectorId, id);
        if (raised != null && (requestedAt == null || raised.isBefore(requestedAt))) {
            return;
        }
        if (raised != null) {
            cleared(connectorId, id);
        }
        contacts.findByLink(new CrmLink(connectorId, id)).ifPresent(contact -> tx.executeWithoutResult(status -> {
            contacts.lock(contact);
            consents.record(contact, mapping.doNotCallPurpose(), false, new Evidence(ActorKind.CRM, connectorId, "crm-sync",
                    clock.instant(), null, null, connectorId + "/" + id, mapping.doNotCallField() + " set in CRM " + connectorId));
        }));
    }

    /**
     * The flag this record's write-back carries: true while the hub holds no consent for the
     * purpose (noted as raised by the hub before the write), false to clear a flag the hub raised
     * once it holds the consent, null to leave the field alone.
     */
    Boolean toWrite(String connectorId, CrmSettings.SObject mapping, String externalId, WriteBackValues values) {
        if (mapping == null || !mapping.mapsDoNotCall()) {
            return null;
        }
        if (!Boolean.TRUE.equals(values.value("consent." + mapping.doNotCallPurpose()))) {
            raise(connectorId, externalId);
            return true;
        }
        return raisedByHub(connectorId, externalId) ? false : null;
    }

    /** The hub's write cleared the flag it had raised: a flag set later is Salesforce's again. */
    void cleared(String connectorId, String externalId) {
        jdbc.sql("delete from sf_do_not_call where connector_id = ? and external_id = ?").params(connectorId, externalId).update();
    }

    boolean raisedByHub(String connectorId, String externalId) {
        return raisedAt(connectorId, externalId) != null;
    }

    private Instant raisedAt(String connectorId, String externalId) {
        return jdbc.sql("select raised_at from sf_do_not_call where connector_id = ? and external_id = ?")
                .params(connectorId, externalId).query((rs, n) -> rs.getObject(1, OffsetDateTime.class).toInstant())
                .optional().orElse(null);
    }

    /** Notes the first raising only: a later write of the same flag does not make a read before it look stale. */
    private void raise(String connectorId, String externalId) {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        if (!raisedByHub(connectorId, externalId)) {
            try {
                jdbc.sql("insert into sf_do_not_call (connector_id, external_id, raised_at) values (?, ?, ?)")
                        .params(connectorId, externalId, now).update();
            } catch (DuplicateKeyException e) {
                // Another write-back of the same record noted it meanwhile.
            }
        }
    }
}
