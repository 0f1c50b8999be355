package io.consenthub.preference;

import io.consenthub.contact.ContactId;
import io.consenthub.decision.EmailKind;
import io.consenthub.email.EmailPayload;
import io.consenthub.email.Emails;
import io.consenthub.links.ContactActs;
import io.consenthub.links.LinkPages;
import io.consenthub.links.LinkTokens;
import io.consenthub.links.TokenGrant;
import io.consenthub.links.TokenPurpose;
import io.consenthub.consent.optin.EmailOptIn;
import io.consenthub.consent.optin.OptInAction;
import io.consenthub.consent.optin.OptInDecision;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.time.Clock;
import java.util.Optional;

/**
 * The campaign unsubscribe link. RFC 8058: a POST with {@code List-Unsubscribe=One-Click} from a
 * mail client opts the contact out at once, with no cookie or login, and a notice is mailed. A GET
 * opens the preference page (package {@code preference}), whose unsubscribe button posts here. The token in the URL is the only credential, so
 * no CSRF token is needed here.
 */
@Controller
class UnsubscribePage {

    static final String NOTICE_SUBJECT = "You have been unsubscribed";
    static final String NOTICE_TEXT = """
            Hello,

            you will no longer receive marketing email from us. If this was not you, or you change your mind,
            you can subscribe again through our sign-up form at any time.
            """;

    private final LinkTokens tokens;
    private final EmailOptIn optIn;
    private final Emails emails;
    private final TransactionTemplate tx;
    private final Clock clock;

    UnsubscribePage(LinkTokens tokens, EmailOptIn optIn, Emails emails, TransactionTemplate tx, Clock clock) {
        this.tokens = tokens;
        this.optIn = optIn;
        this.emails = emails;
        this.tx = tx;
        this.clock = clock;
    }

    @PostMapping(value = "/u/{token}", consumes = {MediaType.APPLICATION_FORM_URLENCODED_VALUE, MediaType.MULTIPART_FORM_DATA_VALUE})
    Object unsubscribe(@PathVariable String token, @RequestParam(name = "List-Unsubscribe", required = false) String oneClick,
                       HttpServletRequest request, HttpServletResponse response) {
        boolean fromMailClient = "One-Click".equals(oneClick);
        Optional<TokenGrant> grant = tokens.peek(TokenPurpose.UNSUBSCRIBE, token);
        if (grant.isEmpty()) {
            return fromMailClient ? ResponseEntity.notFound().build() : LinkPages.invalid(response);
        }
        String channel = fromMailClient ? "one-click-unsubscribe" : "unsubscribe-page";
        tx.executeWithoutResult(status -> optOut(grant.get(), ContactActs.evidence(request, clock, channel, grant.get().proofId())));
        if (fromMailClient) {
            return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body("unsubscribed\n");
        }
        return "unsubscribed";
    }

    private void optOut(TokenGrant grant, io.consenthub.consent.Evidence evidence) {
        ContactId contact = grant.contactId();
        OptInDecision decision = optIn.attempt(contact, OptInAction.OPT_OUT_BY_CONTACT, evidence);
        if (decision.applies()) {
            emails.enqueue(contact, new EmailPayload(EmailKind.NOTICE, NOTICE_SUBJECT, NOTICE_TEXT, null, null, null, null,
                    "unsubscribe"), null);
        }
    }
}
