package io.consenthub.links;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code consent-hub.links}: the budgets of the endpoints that take a link token ({@code /p},
 * {@code /u}, {@code /confirm}, {@code /t}); what each request uses is decided by {@link LinkRateRules}.
 *
 * @param viewsPerMinutePerIp            GET/HEAD requests one client IP may make
 * @param actionsPerMinutePerIp          POST requests (pressing a button, saving a form) one client IP may make
 * @param viewsPerMinutePerContactAndIp  GET/HEAD of one contact's links from one IP
 * @param actionsPerMinutePerContact     POSTs on one contact's links, from anywhere
 * @param changeSetsPerHourPerContact    confirmation mails the preference page may cause for one contact
 */
@ConfigurationProperties("consent-hub.links")
public record LinkRateSettings(int viewsPerMinutePerIp, int actionsPerMinutePerIp, int viewsPerMinutePerContactAndIp,
                               int actionsPerMinutePerContact, int changeSetsPerHourPerContact) {

    public LinkRateSettings {
        viewsPerMinutePerIp = viewsPerMinutePerIp <= 0 ? 120 : viewsPerMinutePerIp;
        actionsPerMinutePerIp = actionsPerMinutePerIp <= 0 ? 60 : actionsPerMinutePerIp;
        viewsPerMinutePerContactAndIp = viewsPerMinutePerContactAndIp <= 0 ? 30 : viewsPerMinutePerContactAndIp;
        actionsPerMinutePerContact = actionsPerMinutePerContact <= 0 ? 30 : actionsPerMinutePerContact;
        changeSetsPerHourPerContact = changeSetsPerHourPerContact <= 0 ? 10 : changeSetsPerHourPerContact;
    }
}
