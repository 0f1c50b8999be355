package io.consenthub.preference;

import io.consenthub.consent.ActorKind;
import io.consenthub.consent.Evidence;
import io.consenthub.contact.ContactId;
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
 * The hosted preference page (DESIGN §1.1), reached by a personal link ({@code /p/<token>}) or a
 * campaign's unsubscribe link ({@code /u/<token>}). Every change is held and confirmed by email;
 * GET requests never change anything; unknown, expired and used links look alike.
 */
@Controller
class PreferencePage {

    private final LinkTokens tokens;
    private final PreferencePages pages;
    private final PendingChanges pending;
    private final RateLimits limits;
    private final PreferenceSettings settings;
    private final MessageSource messages;
    private final Clock clock;

    PreferencePage(LinkTokens tokens, PreferencePages pages, PendingChanges pending, RateLimits limits,
                   PreferenceSettings settings, MessageSource messages, Clock clock) {
        this.tokens = tokens;
        this.pages = pages;
        this.pending = pending;
        this.limits = limits;
        this.settings = settings;
        this.messages = messages;
        this.clock = clock;
    }

    @GetMapping("/p/{token}")
    String personal(@PathVariable String token, Model model, Locale locale, HttpServletResponse response) {
        return show(tokens.peek(TokenPurpose.PREFERENCES, token), "/p/" + token, null, model, locale, response);
    }

    @GetMapping("/u/{token}")
    String fromCampaign(@PathVariable String token, Model model, Locale locale, HttpServletResponse response) {
        return show(tokens.peek(TokenPurpose.UNSUBSCRIBE, token), "/u/" + token + "/changes", "/u/" + token, model, locale, response);
    }

    @PostMapping("/p/{token}")
    String proposeFromPersonal(@PathVariable String token, @RequestParam(name = "granted", required = false) List<String> granted,
                               @RequestParam(name = "unsubscribeAll", required = false) String unsubscribeAll,
                               @RequestParam(name = "action", required = false) String action,
                               HttpServletRequest request, HttpServletResponse response, Model model) {
        return propose(tokens.peek(TokenPurpose.PREFERENCES, token), granted, unsubscribeAll, action, request, response, model);
    }

    @PostMapping("/u/{token}/changes")
    String proposeFromCampaign(@PathVariable String token, @RequestParam(name = "granted", required = false) List<String> granted,
                               @RequestParam(name = "unsubscribeAll", required = false) String unsubscribeAll,
                               @RequestParam(name = "action", required = false) String action,
                               HttpServletRequest request, HttpServletResponse response, Model model) {
        return propose(tokens.peek(TokenPurpose.UNSUBSCRIBE, token), granted, unsubscribeAll, action, request, response, model);
    }

    @GetMapping("/p/confirm/{token}")
    String review(@PathVariable String token, Model model, Locale locale, HttpServletResponse response) {
        Optional<PendingChanges.Pending> changes = pending.peek(token);
        if (changes.isEmpty()) {
            return invalid(response);
        }
        if (!limits.allow("contact:" + changes.get().contact(), settings.requestsPerMinutePerContact())) {
            return tooMany(response);
        }
        model.addAttribute("changes", pages.describe(changes.get().changes(), locale, (key, args) -> messages.getMessage(key, args, locale)));
        model.addAttribute("action", "/p/confirm/" + token);
        return "preference-confirm";
    }

    @PostMapping("/p/confirm/{token}")
    String confirm(@PathVariable String token, HttpServletRequest request, HttpServletResponse response, Model model, Locale locale) {
        Optional<PendingChanges.Pending> applied = pending.confirm(token, grant -> new Evidence(ActorKind.CONTACT, null,
                "preference-page", clock.instant(), request.getRemoteAddr(), request.getHeader("User-Agent"), grant.proofId(), null));
        if (applied.isEmpty()) {
            return invalid(response);
        }
        model.addAttribute("changes", pages.describe(applied.get().changes(), locale, (key, args) -> messages.getMessage(key, args, locale)));
        return "preference-done";
    }

    private String show(Optional<TokenGrant> grant, String formAction, String unsubscribeAction, Model model, Locale locale,
                        HttpServletResponse response) {
        if (grant.isEmpty()) {
            return invalid(response);
        }
        if (!limits.allow("contact:" + grant.get().contactId(), settings.requestsPerMinutePerContact())) {
            return tooMany(response);
        }
        model.addAttribute("page", pages.view(grant.get().contactId(), locale));
        model.addAttribute("action", formAction);
        model.addAttribute("unsubscribeAction", unsubscribeAction);
        return "preferences";
    }

    private String propose(Optional<TokenGrant> grant, List<String> granted, String unsubscribeAll, String action,
                           HttpServletRequest request, HttpServletResponse response, Model model) {
        if (grant.isEmpty()) {
            return invalid(response);
        }
        ContactId contact = grant.get().contactId();
        if (!limits.allow("contact:" + contact, settings.requestsPerMinutePerContact())) {
            return tooMany(response);
        }
        List<Change> changes = pages.changes(contact, granted == null ? new HashSet<>() : new HashSet<>(granted),
                "on".equals(unsubscribeAll), action);
        if (changes.isEmpty()) {
            model.addAttribute("nothing", true);
            return "preference-sent";
        }
        if (!limits.allow("propose:" + contact, settings.changeSetsPerHourPerContact(), java.time.Duration.ofHours(1))) {
            return tooMany(response);
        }
        pending.propose(contact, changes, request.getRemoteAddr());
        model.addAttribute("nothing", false);
        return "preference-sent";
    }

    private static String invalid(HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_NOT_FOUND);
        return "link-invalid";
    }

    private static String tooMany(HttpServletResponse response) {
        response.setStatus(429);
        return "too-many-requests";
    }
}
