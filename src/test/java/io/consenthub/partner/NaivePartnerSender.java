package io.consenthub.partner;

import io.consenthub.consent.ConsentLedger;
import io.consenthub.consent.ContactStates;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.decision.Act;
import io.consenthub.decision.ConsentDecisions;
import org.springframework.context.ApplicationContext;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Deliberately wrong, for the race test's control run only: it shares the way a consent tool
 * without a fence would — it reads the contact's consent (READ COMMITTED, no lock, no transaction
 * around the call), and if the decision is yes, builds the payload and sends it. A revocation that
 * commits between the read and the partner's receipt goes unnoticed. Nothing in the hub uses it;
 * the race test must find its violations, or the test could not fail.
 */
final class NaivePartnerSender {

    private final ContactStates states;
    private final ConsentDecisions decisions;
    private final ConsentLedger ledger;
    private final ContactDirectory contacts;
    private final PartnerPayloads payloads;
    private final Partners partners;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    NaivePartnerSender(ApplicationContext hub) {
        this.states = hub.getBean(ContactStates.class);
        this.decisions = hub.getBean(ConsentDecisions.class);
        this.ledger = hub.getBean(ConsentLedger.class);
        this.contacts = hub.getBean(ContactDirectory.class);
        this.payloads = hub.getBean(PartnerPayloads.class);
        this.partners = hub.getBean(Partners.class);
    }

    /** Checks, then sends: true when a payload was sent (and answered 2xx). */
    boolean share(ContactId contact, String partnerId, String purpose) throws IOException, InterruptedException {
        // the authorising event first: a revocation committed after this read is one the partner must never be overtaken by
        Long seq = ledger.currentEventSeq(contact, purpose).orElse(null);
        var state = states.read(contact);
        if (!decisions.decide(state, new Act.ShareWithPartner(partnerId)).allowed()) {
            return false;
        }
        var partner = partners.require(partnerId);
        String id = "naive-" + UUID.randomUUID();
        Instant now = Instant.now();
        var record = contacts.get(contact);
        String body = payloads.share(id, partnerId, record, payloads.attributesFor(partner, record, state), purpose, seq, now);
        var request = HttpRequest.newBuilder(URI.create(partner.url()))
                .header("Content-Type", "application/json")
                .header("webhook-id", id)
                .header("webhook-timestamp", String.valueOf(now.getEpochSecond()))
                .header("webhook-signature", WebhookSignature.sign(partners.secret(partnerId), id, now.getEpochSecond(), body))
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        return status >= 200 && status < 300;
    }
}
