package io.consenthub.links;

import io.consenthub.contact.ContactId;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The one place that says which budgets a request on a token endpoint uses. Pure; counted by
 * {@link LinkRateLimits}.
 *
 * <ul>
 *   <li>Looking (GET, HEAD) and acting (POST and everything else) have separate budgets, per IP and per
 *       contact, so a mail scanner that fetches a confirmation page — which only shows a button —
 *       can never use up the budget of the person who then presses it.</li>
 *   <li>Looking at one contact's links is counted per contact <em>and</em> IP: a scanner's burst from its
 *       datacentre exhausts only its own share, never the contact's own browser's.</li>
 *   <li>Acting on one contact's links is counted per contact from all IPs, which bounds what anyone
 *       holding the links can do; proposing changes (each one mails the contact) additionally counts
 *       against an hourly budget per contact.</li>
 * </ul>
 */
final class LinkRateRules {

    /** What a request does with a link. */
    enum Use { VIEW, ACT, PROPOSE }

    /** One counter a request increments: its key, its limit and its window. */
    record Budget(String key, int limit, Duration window) {
    }

    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration HOUR = Duration.ofHours(1);

    private LinkRateRules() {
    }

    static Use useOf(String method) {
        String m = method == null ? "" : method.toUpperCase(Locale.ROOT);
        return m.equals("GET") || m.equals("HEAD") ? Use.VIEW : Use.ACT;
    }

    /** The budgets of any request from this IP, before the token is even looked at. */
    static List<Budget> forClient(Use use, String ip, LinkRateSettings settings) {
        return use == Use.VIEW
                ? List.of(new Budget("view:ip:" + ip, settings.viewsPerMinutePerIp(), MINUTE))
                : List.of(new Budget("act:ip:" + ip, settings.actionsPerMinutePerIp(), MINUTE));
    }

    /** The budgets of a request on a valid link of this contact. */
    static List<Budget> forContact(Use use, ContactId contact, String ip, LinkRateSettings settings) {
        return switch (use) {
            case VIEW -> List.of(new Budget("view:contact:" + contact + ":ip:" + ip, settings.viewsPerMinutePerContactAndIp(), MINUTE));
            case ACT -> List.of(new Budget("act:contact:" + contact, settings.actionsPerMinutePerContact(), MINUTE));
            case PROPOSE -> List.of(new Budget("propose:contact:" + contact, settings.changeSetsPerHourPerContact(), HOUR));
        };
    }
}
