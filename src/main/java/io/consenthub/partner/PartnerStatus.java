package io.consenthub.partner;

import io.consenthub.contact.ContactId;
import io.consenthub.outbox.Outbox;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the API tells about partners: propagation per partner and disclosures per contact. */
@Component
public class PartnerStatus {

    private final Partners partners;
    private final Outbox outbox;
    private final PartnerDelivery delivery;
    private final Disclosures disclosures;

    PartnerStatus(Partners partners, Outbox outbox, PartnerDelivery delivery, Disclosures disclosures) {
        this.partners = partners;
        this.outbox = outbox;
        this.delivery = delivery;
        this.disclosures = disclosures;
    }

    public List<Map<String, Object>> all() {
        return partners.ids().stream().map(this::of).toList();
    }

    /**
     * One partner: shares and revocation notices by status (waiting = PENDING, in flight, delivered
     * or acknowledged, refused, cancelled, failed), how many are failing and the latest failure, and
     * this member's circuit.
     */
    public Map<String, Object> of(String partnerId) {
        PartnerSettings.Partner partner = partners.require(partnerId);
        var answer = new LinkedHashMap<String, Object>();
        answer.put("partner", partnerId);
        answer.put("enabled", partner.isEnabled());
        answer.put("purposes", partner.purposes());
        answer.put("attributes", partner.attributes());
        answer.put("signatureSchemes", partners.schemes(partnerId));
        partners.publicKey(partnerId).ifPresent(key -> answer.put("publicKey", key));
        answer.put("shares", section(outbox.destinationStatus(PartnerShares.SHARE, partnerId)));
        answer.put("revocationNotices", section(outbox.destinationStatus(PartnerShares.NOTICE, partnerId)));
        answer.put("circuit", delivery.circuitStates().get(partnerId));
        return answer;
    }

    private static Map<String, Object> section(Outbox.DestinationStatus status) {
        var section = new LinkedHashMap<String, Object>();
        section.put("queued", status.counts().get("PENDING"));
        section.put("inFlight", status.counts().get("IN_FLIGHT"));
        section.put("delivered", status.counts().get("DELIVERED"));
        section.put("refused", status.counts().get("REFUSED"));
        section.put("cancelled", status.counts().get("CANCELLED"));
        section.put("failed", status.counts().get("FAILED"));
        section.put("failing", status.failing());
        section.put("lastError", status.lastError());
        section.put("nextAttemptAt", status.nextAttemptAt());
        return section;
    }

    /** Every share and revocation notice of a contact (GDPR Art. 15(1)(c): the recipients of their data). */
    public Map<String, Object> disclosures(ContactId contact) {
        return disclosures.of(contact);
    }
}
