package io.consenthub.preference;

import io.consenthub.access.AccessExports;
import io.consenthub.consent.ActorKind;
import io.consenthub.consent.Evidence;
import io.consenthub.contact.ContactId;
import io.consenthub.receipt.ConsentReceipts;
import io.consenthub.contact.ContactLanguages;
import io.consenthub.links.LinkPages;
import io.consenthub.links.LinkRateLimits;
import io.consenthub.links.LinkTokens;
import io.consenthub.links.TokenGrant;
import io.consenthub.links.TokenPurpose;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The hosted preference page, reached by a personal link ({@code /p/<token>}) or a
 * campaign's unsubscribe link ({@code /u/<token>}). Every change is held and confirmed by email;
 * GET requests change nothing, except that a visit whose browser sends Global Privacy Control
 * revokes partner sharing ({@link PrivacySignals}); unknown, expired and used links look alike. A form that
 * contradicts itself (a new email list together with "unsubscribe from all") is shown again with
 * a message, and nothing is proposed.
 */
@Controller
class PreferencePage {

    private final LinkTokens tokens;
    private final PreferencePages pages;
    private final PendingChanges pending;
    private final LinkRateLimits limits;
    private final ContactLanguages languages;
    private final MessageSource messages;
    private final Clock clock;
    private final ConsentReceipts receipts;
    private final PrivacySignals signals;
    private final AccessExports exports;
    private static final String EXPORT = "export";

    PreferencePage(LinkTokens tokens, PreferencePages pages, PendingChanges pending, LinkRateLimits limits,
                   ContactLanguages languages, MessageSource messages, Clock clock, ConsentReceipts receipts,
                   PrivacySignals signals, AccessExports exports) {
        this.exports = exports;
        this.receipts = receipts;
        this.signals = signals;
        this.tokens = tokens;
        this.pages = pages;
        this.pending = pending;
        this.limits = limits;
        this.languages = languages;
        this.messages = messages;
        this.clock = clock;
    }

    /** Where a page's form posts, and where its unsubscribe-now button (campaign links only) posts. */
    private record Entry(Optional<TokenGrant> grant, String page, String formAction, String unsubscribeAction) {
    }

    private Entry personalEntry(String token) {
        return new Entry(tokens.peek(TokenPurpose.PREFERENCES, token), "/p/" + token, "/p/" + token, null);
    }

    private Entry campaignEntry(String token) {
        return new Entry(tokens.peek(TokenPurpose.UNSUBSCRIBE, token), "/u/" + token, "/u/" + token + "/changes", "/u/" + token);
    }

    @GetMapping("/p/{token}")
    String personal(@PathVariable String token, Model model, Locale locale, HttpServletRequest request, HttpServletResponse response) {
        return show(personalEntry(token), model, locale, request, response);
    }

    @GetMapping("/u/{token}")
    String fromCampaign(@PathVariable String token, Model model, Locale locale, HttpServletRequest request,
                        HttpServletResponse response) {
        return show(campaignEntry(token), model, locale, request, response);
    }

    @PostMapping("/p/{token}")
    String proposeFromPersonal(@PathVariable String token, @RequestParam(name = "granted", required = false) List<String> granted,
                               @RequestParam(name = "unsubscribeAll", required = false) String unsubscribeAll,
                               @RequestParam(name = "action", required = false) String action,
                               @RequestParam(name = "exportSensitive", required = false) String exportSensitive,
                               HttpServletRequest request, HttpServletResponse response, Model model, Locale locale) {
        if (EXPORT.equals(action)) {
            return requestExport(personalEntry(token), "on".equals(exportSensitive), request, response, model, locale);
        }
        return propose(personalEntry(token), granted, unsubscribeAll, action, request, response, model, locale);
    }

    @PostMapping("/u/{token}/changes")
    String proposeFromCampaign(@PathVariable String token, @RequestParam(name = "granted", required = false) List<String> granted,
                               @RequestParam(name = "unsubscribeAll", required = false) String unsubscribeAll,
                               @RequestParam(name = "action", required = false) String action,
                               @RequestParam(name = "exportSensitive", required = false) String exportSensitive,
                               HttpServletRequest request, HttpServletResponse response, Model model, Locale locale) {
        if (EXPORT.equals(action)) {
            return requestExport(campaignEntry(token), "on".equals(exportSensitive), request, response, model, locale);
        }
        return propose(campaignEntry(token), granted, unsubscribeAll, action, request, response, model, locale);
    }

    @GetMapping("/p/confirm/{token}")
    String review(@PathVariable String token, Model model, Locale locale, HttpServletRequest request, HttpServletResponse response) {
        Optional<PendingChanges.Pending> changes = pending.peek(token);
        if (changes.isEmpty()) {
            return LinkPages.invalid(response);
        }
        if (!limits.allow(request, changes.get().contact())) {
            return LinkRateLimits.tooMany(response);
        }
        model.addAttribute("changes", describe(changes.get().changes(), locale));
        model.addAttribute("action", "/p/confirm/" + token);
        return "preference-confirm";
    }

    @PostMapping("/p/confirm/{token}")
    String confirm(@PathVariable String token, HttpServletRequest request, HttpServletResponse response, Model model, Locale locale) {
        Optional<ContactId> contact = pending.contactOf(token);
        if (contact.isPresent() && !limits.allow(request, contact.get())) {
            return LinkRateLimits.tooMany(response);
        }
        Optional<PendingChanges.Pending> applied = pending.confirm(token, grant -> new Evidence(ActorKind.CONTACT, null,
                "preference-page", clock.instant(), request.getRemoteAddr(), request.getHeader("User-Agent"), grant.proofId(), null));
        if (applied.isEmpty()) {
            return LinkPages.invalid(response);
        }
        languages.remember(applied.get().contact(), locale);
        model.addAttribute("changes", describe(applied.get().changes(), locale));
        receipts.of(applied.get().contact()).stream().findFirst().ifPresent(receipt -> model.addAttribute("receipt", receipt));
        model.addAttribute("languageHref", "/p/done");
        return "preference-done";
    }

    /** What the language switch of the "saved" page opens: the same page without the (no longer known) list. */
    @GetMapping("/p/done")
    String done(Model model) {
        model.addAttribute("changes", List.of());
        model.addAttribute("languageHref", "/p/done");
        return "preference-done";
    }

    private String show(Entry entry, Model model, Locale locale, HttpServletRequest request, HttpServletResponse response) {
        if (entry.grant().isEmpty()) {
            return LinkPages.invalid(response);
        }
        if (!limits.allow(request, entry.grant().get().contactId())) {
            return LinkRateLimits.tooMany(response);
        }
        model.addAttribute("gpcRevoked", !signals.honourVisit(entry.grant().get(), request).isEmpty());
        return page(entry, model, locale);
    }

    private String page(Entry entry, Model model, Locale locale) {
        model.addAttribute("page", pages.view(entry.grant().get().contactId(), locale));
        model.addAttribute("action", entry.formAction());
        model.addAttribute("unsubscribeAction", entry.unsubscribeAction());
        model.addAttribute("languageHref", entry.page());
        return "preferences";
    }

    private String propose(Entry entry, List<String> granted, String unsubscribeAll, String action,
                           HttpServletRequest request, HttpServletResponse response, Model model, Locale locale) {
        if (entry.grant().isEmpty()) {
            return LinkPages.invalid(response);
        }
        ContactId contact = entry.grant().get().contactId();
        if (!limits.allow(request, contact)) {
            return LinkRateLimits.tooMany(response);
        }
        List<Change> changes = pages.changes(contact, granted == null ? new HashSet<>() : new HashSet<>(granted),
                "on".equals(unsubscribeAll), action);
        if (pages.contradictory(changes)) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            model.addAttribute("contradiction", true);
            return page(entry, model, locale);
        }
        model.addAttribute("languageHref", entry.page());
        if (changes.isEmpty()) {
            model.addAttribute("nothing", true);
            return "preference-sent";
        }
        if (!limits.allowProposal(request, contact)) {
            return LinkRateLimits.tooMany(response);
        }
        languages.remember(contact, locale);
        int othersPending = pending.pendingCount(contact);
        pending.propose(contact, changes, null);
        model.addAttribute("nothing", false);
        model.addAttribute("proposed", describe(changes, locale));
        model.addAttribute("othersPending", othersPending > 0);
        return "preference-sent";
    }

    /**
     * "Email me a copy of my data": the request is recorded and its download link mailed to the
     * address on record (AccessExports), so a forwarded page link cannot fetch anyone's data.
     */
    private String requestExport(Entry entry, boolean plaintext, HttpServletRequest request, HttpServletResponse response,
                                 Model model, Locale locale) {
        if (entry.grant().isEmpty()) {
            return LinkPages.invalid(response);
        }
        ContactId contact = entry.grant().get().contactId();
        if (!limits.allow(request, contact) || !limits.allowProposal(request, contact)) {
            return LinkRateLimits.tooMany(response);
        }
        languages.remember(contact, locale);
        exports.requestFromPage(contact, plaintext);
        model.addAttribute("languageHref", entry.page());
        return "access-export-sent";
    }

    private List<String> describe(List<Change> changes, Locale locale) {
        return pages.describe(changes, locale, (key, args) -> messages.getMessage(key, args, locale));
    }
}
