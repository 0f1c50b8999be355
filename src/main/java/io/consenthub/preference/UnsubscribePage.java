package io.consenthub.preference;

import io.consenthub.contact.ContactId;
import io.consenthub.receipt.ConsentReceipts;
import io.consenthub.decision.EmailKind;
import io.consenthub.email.Emails;
import io.consenthub.links.ContactActs;
import io.consenthub.contact.ContactLanguages;
import io.consenthub.links.LinkPages;
import io.consenthub.links.LinkRateLimits;
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
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

/**
 * The campaign unsubscribe link. RFC 8058: a POST with {@code List-Unsubscribe=One-Click} from a
 * mail client opts the contact out at once, with no cookie or login, and a notice is mailed. A GET
 * opens the preference page (package {@code preference}), whose unsubscribe button posts here. The token in the URL is the only credential, so
 * no CSRF token is needed here.
 */
@Controller
class UnsubscribePage {

    private final LinkTokens tokens;
    private final EmailOptIn optIn;
    private final Emails emails;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final io.consenthub.email.MailTexts texts;
    private final LinkRateLimits limits;
    private final ContactLanguages languages;
    private final ConsentReceipts receipts;

    UnsubscribePage(LinkTokens tokens, EmailOptIn optIn, Emails emails, TransactionTemplate tx, Clock clock,
                    io.consenthub.email.MailTexts texts, LinkRateLimits limits, ContactLanguages languages, ConsentReceipts receipts) {
        this.receipts = receipts;
        this.texts = texts;
        this.limits = limits;
        this.languages = languages;
        this.tokens = tokens;
        this.optIn = optIn;
        this.emails = emails;
        this.tx = tx;
        this.clock = clock;
    }

    @PostMapping(value = "/u/{token}", consumes = {MediaType.APPLICATION_FORM_URLENCODED_VALUE, MediaType.MULTIPART_FORM_DATA_VALUE})
    Object unsubscribe(@PathVariable String token, @RequestParam(name = "List-Unsubscribe", required = false) String oneClick,
                       HttpServletRequest request, HttpServletResponse response, Model model, Locale locale) {
        boolean fromMailClient = "One-Click".equals(oneClick);
        Optional<TokenGrant> grant = tokens.peek(TokenPurpose.UNSUBSCRIBE, token);
        if (grant.isEmpty()) {
            return fromMailClient ? ResponseEntity.notFound().build() : LinkPages.invalid(response);
        }
        if (!limits.allow(request, grant.get().contactId())) {
            String page = LinkRateLimits.tooMany(response);
            return fromMailClient ? ResponseEntity.status(429).header("Retry-After", "60").build() : page;
        }
        String channel = fromMailClient ? "one-click-unsubscribe" : "unsubscribe-page";
        Boolean applied = tx.execute(status -> {
            if (!fromMailClient) {
                languages.remember(grant.get().contactId(), locale);
            }
            return optOut(grant.get(), ContactActs.evidence(request, clock, channel, grant.get().proofId()));
        });
        if (fromMailClient) {
            return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body("unsubscribed\n");
        }
        if (Boolean.TRUE.equals(applied)) {
            receipts.of(grant.get().contactId()).stream().findFirst().ifPresent(receipt -> model.addAttribute("receipt", receipt));
        }
        model.addAttribute("languageHref", "/u/done");
        return "unsubscribed";
    }

    /** What the language switch of the "unsubscribed" page opens: the same page, which names no one. */
    @GetMapping("/u/done")
    String done(Model model) {
        model.addAttribute("languageHref", "/u/done");
        return "unsubscribed";
    }

    /** Opts the contact out and mails the notice; whether anything changed. */
    private boolean optOut(TokenGrant grant, io.consenthub.consent.Evidence evidence) {
        ContactId contact = grant.contactId();
        OptInDecision decision = optIn.attempt(contact, OptInAction.OPT_OUT_BY_CONTACT, evidence);
        if (decision.applies()) {
            emails.enqueue(contact, texts.payload(contact, EmailKind.NOTICE, "unsubscribed", "unsubscribe"), null);
        }
        return decision.applies();
    }
}
