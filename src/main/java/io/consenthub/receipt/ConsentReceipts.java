package io.consenthub.receipt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.consenthub.consent.ConsentEvent;
import io.consenthub.consent.ContactActed;
import io.consenthub.consent.Purpose;
import io.consenthub.consent.PurposeCatalog;
import io.consenthub.contact.ContactId;
import io.consenthub.crypto.SigningKey;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Signed consent receipts. Every change a contact makes themselves — a confirmed preference change,
 * a double opt-in, a web form, a one-click unsubscribe, withdrawals included — gets one receipt per
 * transaction: a JWT (JWS, ES256, the hub's key from {@code /.well-known/jwks.json}) whose claims are
 * the fields of Kantara Consent Receipt 1.1 (ISO/IEC TS 27560 builds on them): receipt id, timestamp,
 * jurisdiction, collection method, controller, policy URL, and per purpose its consent type, state and
 * third-party disclosure; the subject only as the contact's pseudonymous id, never an address; and the
 * ledger events it records (event id, position in the contact's chain, hash), so the receipt is bound
 * to the ledger and anyone verifies it offline. Issued in the transaction of the change, just before
 * it commits.
 */
@Service
public class ConsentReceipts {

    static final String VERSION = "KI-CR-v1.1.0";

    private final JdbcClient jdbc;
    private final SigningKey key;
    private final PurposeCatalog catalog;
    private final ReceiptSettings settings;
    private final ObjectMapper json;
    private final Clock clock;
    private final String issuer;

    ConsentReceipts(JdbcClient jdbc, SigningKey key, PurposeCatalog catalog, ReceiptSettings settings, ObjectMapper json, Clock clock,
                    @Value("${consent-hub.email.base-url}") String baseUrl) {
        this.jdbc = jdbc;
        this.key = key;
        this.catalog = catalog;
        this.settings = settings;
        this.json = json;
        this.clock = clock;
        this.issuer = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** Collects a contact's own events of this transaction; the receipt is issued once, before commit. */
    @EventListener
    void onContactActed(ContactActed acted) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            issue(acted.contactId(), acted.events());
            return;
        }
        Pending pending = (Pending) TransactionSynchronizationManager.getResource(this);
        if (pending == null) {
            pending = new Pending(this);
            TransactionSynchronizationManager.bindResource(this, pending);
            TransactionSynchronizationManager.registerSynchronization(pending);
        }
        pending.events.computeIfAbsent(acted.contactId(), c -> new ArrayList<>()).addAll(acted.events());
    }

    /** The contact's receipts, newest first. */
    @Transactional(readOnly = true)
    public List<Receipt> of(ContactId contact) {
        return jdbc.sql("select id, issued_at from consent_receipt where contact_id = ? order by issued_at desc, id limit 100")
                .param(contact.value())
                .query((rs, n) -> {
                    UUID id = rs.getObject(1, UUID.class);
                    return new Receipt(id, rs.getObject(2, OffsetDateTime.class).toInstant(), "/r/" + id);
                }).list();
    }

    /** The signed receipt (compact JWS) with this id. */
    @Transactional(readOnly = true)
    public Optional<String> signed(UUID id) {
        return jdbc.sql("select jws from consent_receipt where id = ?").param(id).query(String.class).optional();
    }

    private void issue(ContactId contact, List<ConsentEvent> events) {
        UUID id = UUID.randomUUID();
        Instant at = clock.instant();
        String jws;
        try {
            jws = key.sign("JWT", json.writeValueAsBytes(claims(id, at, contact, events)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write the consent receipt of contact " + contact, e);
        }
        jdbc.sql("insert into consent_receipt (id, contact_id, issued_at, jws) values (?, ?, ?, ?)")
                .params(id, contact.value(), OffsetDateTime.ofInstant(at, ZoneOffset.UTC), jws).update();
    }

    /** The receipt's claims: Kantara CR 1.1 names, the JWT ones beside them, and the ledger binding. */
    private Map<String, Object> claims(UUID id, Instant at, ContactId contact, List<ConsentEvent> events) {
        var claims = new LinkedHashMap<String, Object>();
        claims.put("iss", issuer);
        claims.put("sub", contact.value().toString());
        claims.put("iat", at.getEpochSecond());
        claims.put("jti", id.toString());
        claims.put("version", VERSION);
        claims.put("jurisdiction", settings.jurisdiction());
        claims.put("consentTimestamp", events.get(0).evidence().occurredAt().getEpochSecond());
        claims.put("collectionMethod", events.get(0).evidence().channel());
        claims.put("consentReceiptID", id.toString());
        claims.put("publicKey", key.keyId());
        claims.put("piiPrincipalId", contact.value().toString());
        ReceiptSettings.Controller c = settings.controller();
        var controller = new LinkedHashMap<String, Object>();
        controller.put("piiController", c.name());
        putIfSet(controller, "contact", c.contact());
        putIfSet(controller, "address", c.address());
        controller.put("email", c.email());
        putIfSet(controller, "phone", c.phone());
        putIfSet(controller, "piiControllerUrl", c.url());
        claims.put("piiControllers", List.of(controller));
        claims.put("policyUrl", settings.policyUrl());
        var services = new ArrayList<Map<String, Object>>();
        for (ConsentEvent event : events) {
            if (event.type().changesState()) {
                services.add(Map.of("service", serviceOf(event), "purposes", List.of(purposeOf(event))));
            }
        }
        claims.put("services", services);
        claims.put("sensitive", events.stream().anyMatch(e -> catalog.find(e.subject())
                .map(p -> p.field() != null).orElse(false)));
        claims.put("spiCat", List.of());
        claims.put("ledgerEvents", events.stream().map(e -> Map.of("eventId", e.eventId().toString(), "contactSeq", e.contactSeq(),
                "type", e.type().name(), "hash", e.hash())).toList());
        return claims;
    }

    private String serviceOf(ConsentEvent event) {
        return catalog.find(event.subject()).map(p -> p.label("en"))
                .orElse(PurposeCatalog.EMAIL_OPT_IN_SUBJECT.equals(event.subject()) ? "Marketing email" : event.subject());
    }

    private Map<String, Object> purposeOf(ConsentEvent event) {
        Optional<Purpose> purpose = catalog.find(event.subject());
        var entry = new LinkedHashMap<String, Object>();
        entry.put("purpose", purpose.map(p -> p.label("en")).orElse(serviceOf(event)));
        entry.put("purposeId", event.subject());
        entry.put("purposeCategory", List.of(purpose.map(p -> p.kind().name()).orElse("EMAIL_OPT_IN")));
        entry.put("consentType", "EXPLICIT");
        entry.put("consentState", given(event.value()) ? "GIVEN" : "WITHDRAWN");
        entry.put("value", event.value());
        entry.put("piiCategory", List.of(purpose.map(p -> p.field() == null ? "contact details" : p.field()).orElse("email address")));
        entry.put("primaryPurpose", true);
        entry.put("termination", "until withdrawn on the preference page or by replying to any email");
        String partner = purpose.map(Purpose::partner).orElse(null);
        entry.put("thirdPartyDisclosure", partner != null);
        if (partner != null) {
            entry.put("thirdPartyName", partner);
        }
        return entry;
    }

    /** Whether a ledger value gives consent: GRANTED, or an opt-in status that is not an opt-out or none. */
    static boolean given(String value) {
        return value != null && (value.equals("GRANTED") || value.contains("OPT_IN"));
    }

    private static void putIfSet(Map<String, Object> into, String name, String value) {
        if (value != null && !value.isBlank()) {
            into.put(name, value);
        }
    }

    /** A transaction's contact events, issued as one receipt per contact just before it commits. */
    private static final class Pending implements TransactionSynchronization {

        private final ConsentReceipts owner;
        private final Map<ContactId, List<ConsentEvent>> events = new LinkedHashMap<>();

        Pending(ConsentReceipts owner) {
            this.owner = owner;
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            events.forEach(owner::issue);
        }

        @Override
        public void afterCompletion(int status) {
            TransactionSynchronizationManager.unbindResourceIfPossible(owner);
        }
    }
}
