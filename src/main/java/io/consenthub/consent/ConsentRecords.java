package io.consenthub.consent;

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

    /**
     * What the contact has locked (DESIGN §1.1): with stop processing nobody may edit the record; a
     * revoked field-storage consent keeps that field out of the hub.
     */
    public record Locks(boolean stopProcessing, java.util.Set<String> lockedFields) {
    }

    @Transactional(readOnly = true)
    public Locks locks(ContactId contact) {
        Map<String, String> state = ledger.state(contact);
        boolean stop = catalog.ofKind(PurposeKind.STOP_PROCESSING)
                .map(p -> ConsentValue.GRANTED.name().equals(state.getOrDefault(p.id(), ConsentValue.of(p.defaultValue()).name())))
                .orElse(false);
        var fields = new java.util.TreeSet<String>();
        for (Purpose purpose : catalog.all()) {
            if (purpose.kind() == PurposeKind.FIELD_STORAGE
                    && ConsentValue.REVOKED.name().equals(state.getOrDefault(purpose.id(), ConsentValue.of(purpose.defaultValue()).name()))
                    && state.containsKey(purpose.id())) {
                fields.add(purpose.field());
            }
        }
        return new Locks(stop, fields);
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
        return new ConsentsBlock(optIn == null ? "NONE" : optIn.value(),
                granted(entries, PurposeKind.STOP_PROCESSING), granted(entries, PurposeKind.ERASURE), entries);
    }

    private static boolean granted(List<ConsentsBlock.Entry> entries, PurposeKind kind) {
        return entries.stream().anyMatch(e -> e.kind() == kind && e.granted());
    }
}
