package io.consenthub.crm;

import io.consenthub.contact.ContactId;
import io.consenthub.contact.CrmLink;
import io.consenthub.outbox.Outbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Erasure in the CRMs and of the hub's own CRM bookkeeping. {@link #eraseIn} runs a connector's
 * {@code erase} config against the person's records there; {@link #forget} deletes what the hub
 * keeps about those records (change hashes, rejects, opt-out rows, conflict
 * notes). The erasure job calls the first while the contact's CRM links still exist and the
 * second after, so a retry never finds its identifiers gone.
 */
@Service
public class CrmErasure implements io.consenthub.contact.ContactDataHolder {

    private static final Logger log = LoggerFactory.getLogger(CrmErasure.class);

    /** What erasing the person in one CRM did. Details name counts and config, never values. */
    public record CrmOutcome(String connectorId, Outcome outcome, int records, String detail) {

        public enum Outcome {
            /** The connector's erase config ran on every record (or the CRM no longer had some). */
            ERASED,
            /** The connector has no erase config: the CRM keeps its own copy. */
            NOT_CONFIGURED,
            /** The connector is no longer configured: nothing the hub can reach. */
            UNKNOWN_CONNECTOR
        }
    }

    private final CrmSettings settings;
    private final Map<String, CrmWriter> writers;
    private final JdbcClient jdbc;
    private final Outbox outbox;

    private final io.consenthub.contact.ContactDirectory contacts;

    CrmErasure(CrmSettings settings, List<CrmWriter> writers, JdbcClient jdbc, io.consenthub.contact.ContactDirectory contacts,
               Outbox outbox) {
        this.outbox = outbox;
        this.settings = settings;
        this.contacts = contacts;
        this.writers = writers.stream().collect(Collectors.toMap(CrmWriter::kind, Function.identity()));
        this.jdbc = jdbc;
    }

    /**
     * Erases the person's records in one CRM. Throws when the CRM failed: the job retries the
     * connector, and only it.
     */
    public CrmOutcome eraseIn(String connectorId, List<String> externalIds) {
        CrmSettings.Connector connector = settings.connectors().get(connectorId);
        if (connector == null) {
            return new CrmOutcome(connectorId, CrmOutcome.Outcome.UNKNOWN_CONNECTOR, externalIds.size(),
                    "the connector is no longer configured");
        }
        CrmWriter writer = writers.get(connector.kind());
        if (connector.erase() == null || !connector.erase().configured() || writer == null) {
            return new CrmOutcome(connectorId, CrmOutcome.Outcome.NOT_CONFIGURED, externalIds.size(),
                    "the connector has no erase config: the CRM keeps its copy of the record");
        }
        int gone = 0;
        for (String externalId : externalIds) {
            if (!writer.erase(connectorId, connector, externalId)) {
                gone++;
            }
        }
        log.info("CRM {}: {} record(s) of an erased contact erased ({} no longer there)", connectorId, externalIds.size(), gone);
        return new CrmOutcome(connectorId, CrmOutcome.Outcome.ERASED, externalIds.size(),
                gone == 0 ? "erased by the connector's erase config" : gone + " record(s) were no longer in the CRM");
    }

    @Override
    public String name() {
        return "crm-records";
    }

    /** The hub's bookkeeping of the contact's CRM records ({@link #forget}), while its links still name them. */
    @Override
    public int erase(ContactId contact) {
        return forget(contact, contacts.get(contact).crmLinks());
    }

    /**
     * For the access export: the consent state written back into each CRM (per write-back the CRM,
     * its outcome and when: the CRMs receive the contact's consents too), the rejects of the
     * contact's CRM records (reasons name fields and rules) and the conflicts noted between CRMs.
     */
    @Override
    public Object export(ContactId contact) {
        var writeBacks = outbox.ofContact(contact, List.of(CrmWriteBack.KIND)).stream().map(m -> {
            var writeBack = new LinkedHashMap<String, Object>();
            writeBack.put("crm", m.get("destination"));
            writeBack.put("status", m.get("status"));
            writeBack.put("reason", m.get("reason"));
            writeBack.put("enqueuedAt", m.get("enqueuedAt"));
            writeBack.put("finishedAt", m.get("finishedAt"));
            return (Map<String, Object>) writeBack;
        }).toList();
        var rejects = new java.util.ArrayList<Map<String, Object>>();
        for (CrmLink link : contacts.get(contact).crmLinks()) {
            rejects.addAll(jdbc.sql("select reason, rejected_at, closed_at from crm_reject where connector_id = ? and external_id = ? order by id")
                    .params(link.connectorId(), link.externalId())
                    .query((rs, n) -> {
                        var reject = new LinkedHashMap<String, Object>();
                        reject.put("crm", link.connectorId());
                        reject.put("externalId", link.externalId());
                        reject.put("reason", rs.getString(1));
                        reject.put("rejectedAt", rs.getObject(2, OffsetDateTime.class).toInstant());
                        OffsetDateTime closed = rs.getObject(3, OffsetDateTime.class);
                        reject.put("closedAt", closed == null ? null : closed.toInstant());
                        return (Map<String, Object>) reject;
                    }).list());
        }
        var conflicts = jdbc.sql("select connector_id, external_id, kind, field, detail, recorded_at from crm_conflict where contact_id = ? order by id")
                .param(contact.value())
                .query((rs, n) -> {
                    var conflict = new LinkedHashMap<String, Object>();
                    conflict.put("crm", rs.getString(1));
                    conflict.put("externalId", rs.getString(2));
                    conflict.put("kind", rs.getString(3));
                    conflict.put("field", rs.getString(4));
                    conflict.put("detail", rs.getString(5));
                    conflict.put("recordedAt", rs.getObject(6, OffsetDateTime.class).toInstant());
                    return (Map<String, Object>) conflict;
                }).list();
        var section = new LinkedHashMap<String, Object>();
        section.put("writeBacks", writeBacks);
        section.put("rejects", rejects);
        section.put("conflicts", conflicts);
        return section;
    }

    /** Deletes the hub's bookkeeping of these CRM records and the contact's conflict notes; returns the rows deleted. */
    @Transactional
    public int forget(ContactId contact, List<CrmLink> links) {
        int deleted = jdbc.sql("delete from crm_conflict where contact_id = ?").param(contact.value()).update();
        for (CrmLink link : links) {
            for (String table : List.of("crm_record", "crm_reject", "crm_opt_out_record")) {
                deleted += jdbc.sql("delete from " + table + " where connector_id = ? and external_id = ?")
                        .params(link.connectorId(), link.externalId()).update();
            }
        }
        return deleted;
    }
}
