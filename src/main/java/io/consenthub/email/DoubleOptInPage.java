package io.consenthub.email;

import io.consenthub.contact.ContactDirectory;
import io.consenthub.receipt.ConsentReceipts;
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
import org.springframework.stereotype.Controller;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

/**
 * The double-opt-in confirmation page. Opening the link (GET) only shows a button, because mail
 * scanners follow links; pressing it (POST, with a CSRF token) confirms, with the person's IP and
 * user agent as evidence. Unknown, expired and used links get the same answer.
 */
@Controller
class DoubleOptInPage {

    private final LinkTokens tokens;
    private final EmailOptIn optIn;
    private final ContactDirectory contacts;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final LinkRateLimits limits;
    private final ContactLanguages languages;
    private final ConsentReceipts receipts;

    DoubleOptInPage(LinkTokens tokens, EmailOptIn optIn, ContactDirectory contacts, TransactionTemplate tx, Clock clock,
                    LinkRateLimits limits, ContactLanguages languages, ConsentReceipts receipts) {
        this.receipts = receipts;
        this.limits = limits;
        this.languages = languages;
        this.tokens = tokens;
        this.optIn = optIn;
        this.contacts = contacts;
        this.tx = tx;
        this.clock = clock;
    }

    @GetMapping("/confirm/double-opt-in/{token}")
    String show(@PathVariable String token, Model model, HttpServletRequest request, HttpServletResponse response) {
        Optional<TokenGrant> grant = tokens.peek(TokenPurpose.DOUBLE_OPT_IN, token);
        if (grant.isEmpty()) {
            return LinkPages.invalid(response);
        }
        if (!limits.allow(request, grant.get().contactId())) {
            return LinkRateLimits.tooMany(response);
        }
        model.addAttribute("email", contacts.get(grant.get().contactId()).primaryEmail().value());
        model.addAttribute("action", "/confirm/double-opt-in/" + token);
        return "double-opt-in-confirm";
    }

    @PostMapping("/confirm/double-opt-in/{token}")
    String confirm(@PathVariable String token, HttpServletRequest request, HttpServletResponse response, Model model,
                   Locale locale) {
        Optional<TokenGrant> seen = tokens.peek(TokenPurpose.DOUBLE_OPT_IN, token);
        if (seen.isPresent() && !limits.allow(request, seen.get().contactId())) {
            return LinkRateLimits.tooMany(response);
        }
        Optional<OptInDecision> decision = tx.execute(status -> tokens.consume(TokenPurpose.DOUBLE_OPT_IN, token)
                .map(grant -> {
                    languages.remember(grant.contactId(), locale);
                    return optIn.attempt(grant.contactId(), OptInAction.CONFIRM_DOUBLE_OPT_IN,
                            ContactActs.evidence(request, clock, "double-opt-in-link", grant.proofId()));
                }));
        if (decision == null || decision.isEmpty()) {
            return LinkPages.invalid(response);
        }
        model.addAttribute("confirmed", !decision.get().refused());
        if (decision.get().applies()) {
            seen.flatMap(g -> receipts.of(g.contactId()).stream().findFirst())
                    .ifPresent(receipt -> model.addAttribute("receipt", receipt));
        }
        model.addAttribute("languageHref", "/confirm/double-opt-in/done");
        return "double-opt-in-done";
    }

    /** What the language switch of the "thank you" page opens: the title only, the outcome is not known here. */
    @GetMapping("/confirm/double-opt-in/done")
    String done(Model model) {
        model.addAttribute("languageHref", "/confirm/double-opt-in/done");
        return "double-opt-in-done";
    }
}
