package io.consenthub.consent;

import io.consenthub.consent.optin.EmailOptInStatus;
import io.consenthub.contact.ContactId;
import io.consenthub.shared.InvalidInputException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Records answers to consent purposes and reads them back as a {@link ConsentsBlock}. Purposes
 * whose effects reach beyond the ledger (field storage, stop processing, erasure) are answered only
 * by the contact, through the confirmed preference-page flow that carries out those effects.
 */
@Service
public class ConsentRecords {

    private static final List<PurposeKind> RECORDABLE = List.of(PurposeKind.EMAIL_LIST, PurposeKind.TRACKING, PurposeKind.CUSTOM);

    private final PurposeCatalog catalog;
    private final ConsentLedger ledger;

    ConsentRecords(PurposeCatalog catalog, ConsentLedger ledger) {
        this.catalog = catalog;
        this.ledger = ledger;
    }

    /**
     * Appends a grant or revocation unless the contact already holds that answer. The caller holds
     * the contact's row lock.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<ConsentEvent> record(ContactId contact, String purposeId, boolean granted, Evidence evidence) {
        Purpose purpose = catalog.require(purposeId);
        if (evidence.actorKind() != ActorKind.CONTACT && !RECORDABLE.contains(purpose.kind())) {
            throw new InvalidInputException("consent '" + purposeId + "' is of kind "
                    + purpose.kind().name().toLowerCase().replace('_', '-')
                    + " and is changed only by the contact on the preference page or by an admin action");
        }
        String current = ledger.state(contact).get(purposeId);
        ConsentValue wanted = ConsentValue.of(granted);
        if (wanted.name().equals(current)) {
            return Optional.empty();
        }
        return Optional.of(ledger.append(new ConsentChange(contact,
                granted ? EventType.CONSENT_GRANTED : EventType.CONSENT_REVOKED, purposeId, wanted.name(), current, evidence)));
    }

    /** An admin lifts a contact's stop-processing lock, at the contact's request (DESIGN §1.1: only an admin can unlock). */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<ConsentEvent> unlockStopProcessing(ContactId contact, Evidence evidence) {
        Purpose purpose = catalog.ofKind(PurposeKind.STOP_PROCESSING)
                .orElseThrow(() -> new InvalidInputException("no stop-processing consent is configured"));
        String current = ledger.state(contact).get(purpose.id());
        if (!ConsentValue.GRANTED.name().equals(current)) {
            return Optional.empty();
        }
        return Optional.of(ledger.append(new ConsentChange(contact, EventType.CONSENT_REVOKED, purpose.id(),
                ConsentValue.REVOKED.name(), current, evidence)));
    }

    /**
     * An admin records a restriction the contact asked for outside the page (a letter, a call):
     * stop processing or erasure, granted with the admin's reason in the evidence. Empty when the
     * contact already holds it. The caller holds the contact's row lock.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<ConsentEvent> restrictByAdmin(ContactId contact, PurposeKind kind, Evidence evidence) {
        if (kind != PurposeKind.STOP_PROCESSING && kind != PurposeKind.ERASURE) {
            throw new IllegalArgumentException("an admin restricts by stop processing or erasure only");
        }
        Purpose purpose = catalog.ofKind(kind).orElseThrow(() -> new InvalidInputException(
                "no " + kind.name().toLowerCase().replace('_', '-') + " consent is configured"));
        String current = ledger.state(contact).get(purpose.id());
        if (ConsentValue.GRANTED.name().equals(current)) {
            return Optional.empty();
        }
        return Optional.of(ledger.append(new ConsentChange(contact, EventType.CONSENT_GRANTED, purpose.id(),
                ConsentValue.GRANTED.name(), current, evidence)));
    }

    @Transactional(readOnly = true)
    public ConsentsBlock block(ContactId contact) {
        var events = ledger.history(contact);
        Map<String, ConsentEvent> latest = events.stream().filter(e -> e.type().changesState())
                .collect(Collectors.toMap(ConsentEvent::subject, Function.identity(), (a, b) -> b));
        var entries = new ArrayList<ConsentsBlock.Entry>();
        for (Purpose purpose : catalog.all()) {
            ConsentEvent answer = latest.get(purpose.id());
            entries.add(answer == null
                    ? new ConsentsBlock.Entry(purpose.id(), purpose.kind(), purpose.defaultValue(), false, null)
                    : new ConsentsBlock.Entry(purpose.id(), purpose.kind(), ConsentValue.GRANTED.name().equals(answer.value()),
                    true, answer.evidence().occurredAt()));
        }
        ConsentEvent optIn = latest.get(PurposeCatalog.EMAIL_OPT_IN_SUBJECT);
        return new ConsentsBlock(EmailOptInStatus.ofStored(optIn == null ? null : optIn.value()),
                granted(entries, PurposeKind.STOP_PROCESSING), granted(entries, PurposeKind.ERASURE), entries);
    }

    private static boolean granted(List<ConsentsBlock.Entry> entries, PurposeKind kind) {
        return entries.stream().anyMatch(e -> e.kind() == kind && e.granted());
    }
}
