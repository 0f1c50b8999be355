package io.consenthub.contact;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The suppression list: the erased people whose address no sync, push or import may bring back.
 * It holds keyed MACs of normalised addresses ({@link EmailProtection#suppressionMacs}), never an
 * address, so the list itself is no copy of what was erased. An entry is lifted, and the lifting
 * recorded, only when the person comes back through a web form of their own. The person's CRM
 * records are kept the same way (a MAC of connector and record id), so a CRM that still holds the
 * record cannot bring it back either; lifting the address lifts them too.
 */
@Repository
class Suppressions {

    private final JdbcClient jdbc;
    private final EmailProtection emails;

    Suppressions(JdbcClient jdbc, EmailProtection emails) {
        this.jdbc = jdbc;
        this.emails = emails;
    }

    /** Puts the address on the list for this erasure job; already there (an earlier attempt): kept as it is. */
    void suppress(EmailAddress email, UUID job, Instant now) {
        String mac = emails.suppressionMacs(email.key()).get(0);
        int updated = jdbc.sql("update email_suppression set lifted_at = null, lifted_by = null, erasure_job = ? where mac = ?")
                .params(job, mac).update();
        if (updated == 0) {
            jdbc.sql("insert into email_suppression (mac, suppressed_at, erasure_job) values (?, ?, ?)")
                    .params(mac, ContactStore.utc(now), job).update();
        }
    }

    /** Puts the person's CRM records on the list, tied to their address (null when it no longer opens). */
    void suppressRecords(java.util.List<CrmLink> links, EmailAddress email, UUID job, Instant now) {
        String emailMac = email == null ? null : emails.suppressionMacs(email.key()).get(0);
        for (CrmLink link : links) {
            String mac = emails.suppressionMacs(recordKey(link.connectorId(), link.externalId())).get(0);
            int updated = jdbc.sql("""
                    update crm_record_suppression set lifted_at = null, lifted_by = null, erasure_job = ?,
                        email_mac = coalesce(cast(? as varchar(128)), email_mac) where mac = ?""")
                    .params(job, emailMac, mac).update();
            if (updated == 0) {
                jdbc.sql("insert into crm_record_suppression (mac, email_mac, suppressed_at, erasure_job) values (?, ?, ?, ?)")
                        .params(mac, emailMac, ContactStore.utc(now), job).update();
            }
        }
    }

    /** Which of these records of one connector belong to erased people. */
    Set<String> suppressedRecords(String connectorId, Collection<String> externalIds) {
        if (externalIds.size() > 1 && !anyActive("crm_record_suppression")) {
            return Set.of();
        }
        var byMac = new HashMap<String, String>();
        for (String id : new HashSet<>(externalIds)) {
            emails.suppressionMacs(recordKey(connectorId, id)).forEach(mac -> byMac.put(mac, id));
        }
        var found = new HashSet<String>();
        for (List<String> part : io.consenthub.shared.SqlArrays.parts(byMac.keySet())) {
            jdbc.sql("select s.mac from " + io.consenthub.shared.SqlArrays.KEYS
                            + " join crm_record_suppression s on s.mac = k.v and s.lifted_at is null")
                    .param(part.toArray(String[]::new)).query(String.class).list()
                    .forEach(mac -> found.add(byMac.get(mac)));
        }
        return found;
    }

    /**
     * Whether the list holds any entry that is not lifted. Most hubs' list is empty or short, and a
     * batch of a CRM sync asks about thousands of records and addresses, each a keyed MAC to compute
     * and look up: when nothing is suppressed, one cheap query answers for the whole batch.
     */
    private boolean anyActive(String table) {
        return !jdbc.sql("select 1 from " + table + " where lifted_at is null limit 1").query(Integer.class).list().isEmpty();
    }

    /** What a record's MAC is taken over: no normalised address starts this way, so the two never meet. */
    private static String recordKey(String connectorId, String externalId) {
        return "crm-record:" + connectorId + "\u0000" + externalId;
    }

    /** Which of these normalised addresses ({@link EmailAddress#key()}) are suppressed. */
    Set<String> suppressed(Collection<String> keys) {
        if (keys.size() > 1 && !anyActive("email_suppression")) {
            return Set.of();
        }
        var byMac = new HashMap<String, String>();
        for (String key : new HashSet<>(keys)) {
            emails.suppressionMacs(key).forEach(mac -> byMac.put(mac, key));
        }
        var found = new HashSet<String>();
        for (List<String> part : io.consenthub.shared.SqlArrays.parts(byMac.keySet())) {
            jdbc.sql("select s.mac from " + io.consenthub.shared.SqlArrays.KEYS
                            + " join email_suppression s on s.mac = k.v and s.lifted_at is null")
                    .param(part.toArray(String[]::new)).query(String.class).list()
                    .forEach(mac -> found.add(byMac.get(mac)));
        }
        return found;
    }

    /** Lifts the address's entry, recording by what; false when it was not suppressed. */
    boolean lift(EmailAddress email, String by, Instant now) {
        int lifted = 0;
        for (String mac : emails.suppressionMacs(email.key())) {
            lifted += jdbc.sql("update email_suppression set lifted_at = ?, lifted_by = ? where mac = ? and lifted_at is null")
                    .params(ContactStore.utc(now), by, mac).update();
            jdbc.sql("update crm_record_suppression set lifted_at = ?, lifted_by = ? where email_mac = ? and lifted_at is null")
                    .params(ContactStore.utc(now), by, mac).update();
        }
        return lifted > 0;
    }
}
