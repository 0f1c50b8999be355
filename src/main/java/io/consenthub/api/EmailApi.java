package io.consenthub.api;

import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.email.Campaigns;
import io.consenthub.email.DoubleOptInRequests;
import io.consenthub.email.EmailPayload;
import io.consenthub.email.Emails;
import io.consenthub.decision.EmailKind;
import io.consenthub.decision.Refusals;
import io.consenthub.system.ApiResponse;
import io.consenthub.shared.InvalidInputException;
import io.consenthub.system.StrictJson;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The email API's route bean: one-off emails by kind, campaigns, double-opt-in requests, refusals. */
@Component("emailApi")
public class EmailApi {

    private static final java.util.regex.Pattern MESSAGE_ID = java.util.regex.Pattern.compile("<[^<>\\s@]{1,200}@[^<>\\s@]{1,200}>");
    private static final Set<EmailKind> CALLER_KINDS = Set.of(EmailKind.AD_HOC, EmailKind.REPLY, EmailKind.WORKFLOW,
            EmailKind.AUTORESPONDER);

    record EmailBody(String contactId, EmailKind kind, String subject, String text, String html, String inReplyTo,
                     List<String> references) {
    }

    record ListBody(String list) {
    }

    private final StrictJson json;
    private final Emails emails;
    private final Campaigns campaigns;
    private final DoubleOptInRequests doubleOptIn;
    private final Refusals refusals;
    private final ContactDirectory contacts;
    private final TransactionTemplate tx;
    private final Clock clock;

    EmailApi(StrictJson json, Emails emails, Campaigns campaigns, DoubleOptInRequests doubleOptIn, Refusals refusals,
             ContactDirectory contacts, TransactionTemplate tx, Clock clock) {
        this.json = json;
        this.emails = emails;
        this.campaigns = campaigns;
        this.doubleOptIn = doubleOptIn;
        this.refusals = refusals;
        this.contacts = contacts;
        this.tx = tx;
        this.clock = clock;
    }

    public ApiResponse send(Exchange exchange) {
        var body = json.read(ApiRequests.body(exchange), EmailBody.class);
        if (body.kind() == null || !CALLER_KINDS.contains(body.kind())) {
            throw new InvalidInputException("'kind' must be one of " + CALLER_KINDS.stream().map(Enum::name).sorted().toList()
                    + "; campaigns go through /api/campaigns");
        }
        if (body.subject() == null || body.subject().isBlank() || body.text() == null || body.text().isBlank()) {
            throw new InvalidInputException("'subject' and a plain-text body 'text' are required");
        }
        if (body.kind() == EmailKind.REPLY && body.inReplyTo() == null) {
            throw new InvalidInputException("a REPLY needs 'inReplyTo', the Message-ID it answers");
        }
        requireMessageId("inReplyTo", body.inReplyTo());
        if (body.references() != null) {
            body.references().forEach(reference -> requireMessageId("references", reference));
        }
        ContactId contact = ContactId.parse(body.contactId());
        contacts.get(contact);
        String caller = ApiRequests.caller(exchange).name();
        String messageId = tx.execute(s -> emails.enqueue(contact, new EmailPayload(body.kind(), body.subject(), body.text(),
                body.html(), null, body.inReplyTo(), body.references(), caller), null));
        return ApiResponse.accepted(Map.of("messageId", messageId, "status", "queued; the consent gate decides at delivery"));
    }

    private static void requireMessageId(String field, String value) {
        if (value != null && !MESSAGE_ID.matcher(value).matches()) {
            throw new InvalidInputException("'" + field + "' must be a Message-ID like <id@host>, not '" + value + "'");
        }
    }

    public ApiResponse startCampaign(Exchange exchange) {
        var request = json.read(ApiRequests.body(exchange), Campaigns.Request.class);
        return ApiResponse.accepted(campaigns.start(request, ApiRequests.caller(exchange).name()));
    }

    public ApiResponse campaign(Exchange exchange) {
        return ApiResponse.ok(campaigns.progress(ApiRequests.param(exchange, "campaignId")));
    }

    public ApiResponse requestDoubleOptIn(Exchange exchange) {
        ContactId contact = ContactId.parse(ApiRequests.param(exchange, "id"));
        contacts.get(contact);
        String messageId = doubleOptIn.request(contact, ApiRequests.evidence(exchange, clock, "double-opt-in requested by a user"));
        return ApiResponse.accepted(Map.of("messageId", messageId));
    }

    public ApiResponse requestDoubleOptInForList(Exchange exchange) {
        var body = json.read(ApiRequests.body(exchange), ListBody.class);
        return ApiResponse.ok(doubleOptIn.requestForList(body.list(),
                ApiRequests.evidence(exchange, clock, "double-opt-in requested for list " + body.list())));
    }

    public ApiResponse refusals(Exchange exchange) {
        String contact = ApiRequests.param(exchange, "contactId");
        int limit = ApiRequests.intParam(exchange, "limit", 100, 1, 1000);
        return ApiResponse.ok(refusals.recent(contact == null ? null : ContactId.parse(contact), limit));
    }
}
