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
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Salesforce's {@code DoNotCall} ({@code PersonDoNotCall} on a Person Account) as the hub's
 * phone purpose, for objects that map it ({@code do-not-call-field}, {@code do-not-call-purpose}).
 *
 * <p>Per record the hub keeps what it last knew of the flag and whose it is ({@code sf_do_not_call}):
 * not set (no row), set by Salesforce ({@link Owner#CRM}), raised by the hub ({@link Owner#HUB}).
 *
 * <p>Read: a flag that goes from not set to set in Salesforce is the contact's refusal of the
 * purpose, recorded once with the CRM as actor; re-reading an unchanged record (look-back,
 * reconcile, the echo of a write-back) changes nothing, so a grant the contact gave in the hub
 * after the flag was set survives. A flag not set is never an opt-in. Write: the flag is set while
 * the hub holds no consent for the purpose, and noted as the hub's only when it was last seen not
 * set, so the hub's own flag read back is no refusal. Once the hub holds the consent it clears the
 * flags it raised; a flag a Salesforce user set is never raised over nor cleared by the hub.
 *
 * <p>A read asked for no later than the hub's last write of the flag, which disagrees with what
 * the hub wrote, may show the record before that write (a Bulk job's snapshot is taken after it
 * was asked for) and is ignored; a later read of the record decides, at the latest the poll's
 * look-back, since the hub's write moves the record's SystemModstamp.
 */
@Component
class SalesforceDoNotCall {

    /** Whose set flag it is; null in a mark: the hub cleared the flag it had raised. */
    enum Owner { CRM, HUB }

    /** What the hub knows of a record's flag; {@code hubWroteAt}: when it last raised or cleared it. */
    record Mark(Owner owner, Instant hubWroteAt) {
    }

    /**
     * The flag a write-back carries (null: leave the field alone); {@code raised}: this write made
     * it the hub's, a mark to take back unless the write happens ({@code before}: the hub's previous
     * write time, for that).
     */
    record Flag(Boolean value, boolean raised, Instant before) {
        static final Flag NONE = new Flag(null, false, null);
    }

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

    /** The marks of the records read, in one select (a Bulk batch costs one, not one per record). */
    Map<String, Mark> marks(String connectorId, CrmSettings.SObject mapping, Collection<? extends JsonNode> records) {
        var ids = new ArrayList<String>();
        if (mapping.mapsDoNotCall()) {
            records.forEach(record -> {
                if (record.hasNonNull("Id")) {
                    ids.add(record.get("Id").asText());
                }
            });
        }
        var marks = new HashMap<String, Mark>();
        if (ids.isEmpty()) {
            return marks;
        }
        var params = new ArrayList<Object>();
        params.add(connectorId);
        params.addAll(ids);
        jdbc.sql("select external_id, owner, hub_wrote_at from sf_do_not_call where connector_id = ? and external_id in ("
                        + String.join(", ", Collections.nCopies(ids.size(), "?")) + ")")
                .params(params).query(rs -> {
                    marks.put(rs.getString(1), mark(rs.getString(2), rs.getObject(3, OffsetDateTime.class)));
                });
        return marks;
    }

    /** A record read from Salesforce, its mark looked up alone. */
    void read(String connectorId, CrmSettings.SObject mapping, JsonNode record, Instant requestedAt) {
        read(connectorId, mapping, record, requestedAt, marks(connectorId, mapping, List.of(record)));
    }

    /**
     * A record read from Salesforce on a page asked for at {@code requestedAt} (a lower bound of
     * what it shows; null if unknown), with the marks of {@link #marks}: a flag newly set by
     * Salesforce revokes the purpose; a flag no longer set forgets the mark.
     */
    void read(String connectorId, CrmSettings.SObject mapping, JsonNode record, Instant requestedAt, Map<String, Mark> marks) {
        if (!mapping.mapsDoNotCall() || record.path("IsDeleted").asBoolean(false) || record.path("IsConverted").asBoolean(false)) {
            return;
        }
        String id = record.path("Id").asText(null);
        if (id == null) {
            return;
        }
        boolean set = record.path(mapping.doNotCallField()).asBoolean(false);
        Mark mark = marks.get(id);
        if (mark == null && !set) {
            return;
        }
        if (mark != null && mark.hubWroteAt() != null && set != (mark.owner() == Owner.HUB)
                && (requestedAt == null || !requestedAt.isAfter(mark.hubWroteAt()))) {
            return;
        }
        if (!set) {
            jdbc.sql("delete from sf_do_not_call where connector_id = ? and external_id = ?").params(connectorId, id).update();
            return;
        }
        if (mark != null && mark.owner() != null) {
            return;
        }
        // Left unmarked while no contact is linked, so the refusal is recorded once one is.
        contacts.findByLink(new CrmLink(connectorId, id)).ifPresent(contact -> tx.executeWithoutResult(status -> {
            contacts.lock(contact);
            consents.record(contact, mapping.doNotCallPurpose(), false, new Evidence(ActorKind.CRM, connectorId, "crm-sync",
                    clock.instant(), null, null, connectorId + "/" + id, mapping.doNotCallField() + " set in CRM " + connectorId));
            notedAsTheCrms(connectorId, id);
        }));
    }

    /**
     * The flag this record's write-back carries: true while the hub holds no consent for the
     * purpose (noted as raised by the hub before the write when it was last seen not set; left
     * alone when Salesforce set it), false to clear a flag the hub raised once it holds the
     * consent, otherwise none.
     */
    Flag toWrite(String connectorId, CrmSettings.SObject mapping, String externalId, WriteBackValues values) {
        if (mapping == null || !mapping.mapsDoNotCall()) {
            return Flag.NONE;
        }
        Mark mark = mark(connectorId, externalId);
        boolean granted = Boolean.TRUE.equals(values.value("consent." + mapping.doNotCallPurpose()));
        if (granted) {
            return mark != null && mark.owner() == Owner.HUB ? new Flag(false, false, null) : Flag.NONE;
        }
        if (mark != null && mark.owner() != null) {
            return mark.owner() == Owner.HUB ? new Flag(true, false, null) : Flag.NONE;
        }
        return raise(connectorId, externalId, mark);
    }

    /** The record's write carrying {@code flag} was saved: the hub's write time, and a cleared flag no longer the hub's. */
    void written(String connectorId, String externalId, Flag flag) {
        if (flag.value() == null) {
            return;
        }
        jdbc.sql("update sf_do_not_call set " + (flag.value() ? "" : "owner = null, ")
                        + "hub_wrote_at = ? where connector_id = ? and external_id = ? and owner = ?")
                .params(now(), connectorId, externalId, Owner.HUB.name()).update();
    }

    /** The record's write did not happen: a mark this write raised is taken back, so a flag set later is Salesforce's. */
    void notWritten(String connectorId, String externalId, Flag flag) {
        if (!flag.raised()) {
            return;
        }
        if (flag.before() == null) {
            jdbc.sql("delete from sf_do_not_call where connector_id = ? and external_id = ? and owner = ?")
                    .params(connectorId, externalId, Owner.HUB.name()).update();
        } else {
            jdbc.sql("update sf_do_not_call set owner = null, hub_wrote_at = ? where connector_id = ? and external_id = ? and owner = ?")
                    .params(OffsetDateTime.ofInstant(flag.before(), ZoneOffset.UTC), connectorId, externalId, Owner.HUB.name())
                    .update();
        }
    }

    boolean raisedByHub(String connectorId, String externalId) {
        Mark mark = mark(connectorId, externalId);
        return mark != null && mark.owner() == Owner.HUB;
    }

    private Mark mark(String connectorId, String externalId) {
        return jdbc.sql("select owner, hub_wrote_at from sf_do_not_call where connector_id = ? and external_id = ?")
                .params(connectorId, externalId).query((rs, n) -> mark(rs.getString(1), rs.getObject(2, OffsetDateTime.class)))
                .optional().orElse(null);
    }

    private static Mark mark(String owner, OffsetDateTime hubWroteAt) {
        return new Mark(owner == null ? null : Owner.valueOf(owner), hubWroteAt == null ? null : hubWroteAt.toInstant());
    }

    /** Notes the flag as the hub's, only where it has no owner yet (a read that made it Salesforce's meanwhile wins). */
    private Flag raise(String connectorId, String externalId, Mark mark) {
        OffsetDateTime now = now();
        int noted = mark == null ? 0 : jdbc.sql("update sf_do_not_call set owner = ?, hub_wrote_at = ? where connector_id = ?"
                + " and external_id = ? and owner is null").params(Owner.HUB.name(), now, connectorId, externalId).update();
        if (mark == null) {
            try {
                noted = jdbc.sql("insert into sf_do_not_call (connector_id, external_id, owner, hub_wrote_at) values (?, ?, ?, ?)")
                        .params(connectorId, externalId, Owner.HUB.name(), now).update();
            } catch (DuplicateKeyException e) {
                noted = 0;
            }
        }
        if (noted == 1) {
            return new Flag(true, true, mark == null ? null : mark.hubWroteAt());
        }
        Mark meanwhile = mark(connectorId, externalId);
        return meanwhile != null && meanwhile.owner() == Owner.HUB ? new Flag(true, false, null) : Flag.NONE;
    }

    /** The flag is Salesforce's own: the hub neither raises nor clears it. */
    private void notedAsTheCrms(String connectorId, String externalId) {
        if (jdbc.sql("update sf_do_not_call set owner = ?, hub_wrote_at = null where connector_id = ? and external_id = ?")
                .params(Owner.CRM.name(), connectorId, externalId).update() == 0) {
            jdbc.sql("insert into sf_do_not_call (connector_id, external_id, owner) values (?, ?, ?)")
                    .params(connectorId, externalId, Owner.CRM.name()).update();
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
