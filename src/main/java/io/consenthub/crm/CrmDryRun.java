package io.consenthub.crm;

import io.consenthub.consent.optin.EmailOptIn;
import io.consenthub.consent.optin.EmailOptInStatus;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.CrmLink;
import io.consenthub.contact.EmailAddress;
import io.consenthub.shared.ConflictException;
import io.consenthub.shared.InvalidInputException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;
import java.util.Optional;

/**
 * What syncing one CRM row would do, found by doing it — the same {@link CrmContactSync} code the
 * poll runs — in a transaction that is always rolled back. A preview computed by a second copy of
 * the rules would drift from them; this one cannot. Nothing it does is kept: contacts, links,
 * ledger events, conflicts and write-backs all roll back, and it records no reject.
 */
@Component
public class CrmDryRun {

    /**
     * One row's preview: the sync's outcome (or REJECTED and why), the contact's opt-in status
     * before and after, the fields it would refuse, the conflicts it would record (kinds) and the
     * CRMs it would write back to. Record ids, field names and statuses only, no personal data.
     */
    public record RowPreview(String externalId, String outcome, String reason, EmailOptInStatus optInBefore,
                             EmailOptInStatus optInAfter, List<String> refusedFields, List<String> conflicts,
                             List<String> writeBackTo) {

        public static RowPreview rejected(String externalId, String reason) {
            return new RowPreview(externalId, "REJECTED", reason, null, null, List.of(), List.of(), List.of());
        }
    }

    private final CrmContactSync sync;
    private final ContactDirectory contacts;
    private final EmailOptIn optIn;
    private final CrmWriteBack writeBack;
    private final JdbcClient jdbc;
    private final TransactionTemplate rolledBack;

    CrmDryRun(CrmContactSync sync, ContactDirectory contacts, EmailOptIn optIn, CrmWriteBack writeBack, JdbcClient jdbc,
              PlatformTransactionManager transactions) {
        this.sync = sync;
        this.contacts = contacts;
        this.optIn = optIn;
        this.writeBack = writeBack;
        this.jdbc = jdbc;
        this.rolledBack = new TransactionTemplate(transactions);
    }

    /** Previews a mapped row: checks it as the poll does, then applies it and rolls back. */
    public RowPreview preview(CrmRow mapped) {
        CrmContactSync.Checked checked;
        try {
            checked = sync.check(mapped);
        } catch (InvalidInputException e) {
            return RowPreview.rejected(mapped.externalId(), e.getMessage());
        }
        CrmRow row = checked.row();
        return rolledBack.execute(status -> {
            status.setRollbackOnly();
            Optional<ContactId> before = contact(row);
            EmailOptInStatus statusBefore = before.map(optIn::status).orElse(null);
            long conflictsBefore = lastConflictId();
            SyncOutcome outcome;
            try {
                outcome = sync.apply(row);
            } catch (InvalidInputException | ConflictException e) {
                return RowPreview.rejected(row.externalId(), e.getMessage());
            } catch (org.springframework.dao.DataAccessException e) {
                // As the poll does: the store refused this row; a store's message may quote values.
                return RowPreview.rejected(row.externalId(), "the store refused the row (" + e.getClass().getSimpleName() + ")");
            }
            Optional<ContactId> after = contact(row);
            return new RowPreview(row.externalId(), outcome.name(), null, statusBefore, after.map(optIn::status).orElse(null),
                    checked.refusedFields(), after.map(contact -> conflictsSince(conflictsBefore, contact)).orElse(List.of()),
                    after.map(writeBack::pendingNow).orElse(List.of()));
        });
    }

    private Optional<ContactId> contact(CrmRow row) {
        Optional<ContactId> linked = contacts.findByLink(new CrmLink(row.connectorId(), row.externalId()));
        return linked.isPresent() || row.email() == null ? linked : contacts.findByEmail(new EmailAddress(row.email()));
    }

    private long lastConflictId() {
        return jdbc.sql("select coalesce(max(id), 0) from crm_conflict").query(Long.class).single();
    }

    /** This contact's conflicts recorded by the previewed row (not those a live poll commits meanwhile). */
    private List<String> conflictsSince(long id, ContactId contact) {
        return jdbc.sql("select kind from crm_conflict where id > ? and contact_id = ? order by id")
                .params(id, contact.value()).query(String.class).list();
    }
}
