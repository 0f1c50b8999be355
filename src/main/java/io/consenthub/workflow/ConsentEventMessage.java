package io.consenthub.workflow;

import java.time.Instant;

/**
 * One committed consent change, as routes receive it on {@code seda:consent-events} (README
 * "Consent events for routes"): what changed, never personal data. Delivered at least once (a
 * member that dies mid-dispatch re-dispatches), so a consumer that calls out uses {@code eventId}
 * to recognise a repeat.
 *
 * @param eventId      unique per change: {@code ce-<seq>}
 * @param seq          the ledger event's number
 * @param subject      a purpose id, or {@code email-opt-in}
 * @param purposeKind  the purpose's kind (email-list, custom, …), null for the opt-in status
 * @param partner      for a partner-sharing purpose, the partner id
 * @param value        the new value (GRANTED or REVOKED, or an opt-in status)
 */
public record ConsentEventMessage(String eventId, String contactId, long seq, String type, String subject, String purposeKind,
                                  String partner, String value, String previousValue, Instant committedAt) {

    /** Whether this change grants a purpose (the common filter of a workflow route). */
    public boolean granted() {
        return "GRANTED".equals(value);
    }
}
