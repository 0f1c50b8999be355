package io.consenthub.consent.optin;

import java.util.EnumSet;
import java.util.Set;

/**
 * Which opt-in statuses the campaign system may email (DESIGN §1.3). Chosen in config;
 * {@link #DOUBLE_ONLY} is the recommended default because only it rests on proof that the
 * mailbox owner asked for the mail.
 */
public enum SendingPolicy {
    DOUBLE_ONLY(EnumSet.of(EmailOptInStatus.DOUBLE_OPT_IN)),
    DOUBLE_AND_SINGLE_USER(EnumSet.of(EmailOptInStatus.DOUBLE_OPT_IN, EmailOptInStatus.SINGLE_OPT_IN_USER)),
    DOUBLE_SINGLE_USER_AND_WEBFORM(EnumSet.of(EmailOptInStatus.DOUBLE_OPT_IN,
            EmailOptInStatus.SINGLE_OPT_IN_USER, EmailOptInStatus.SINGLE_OPT_IN_WEBFORM));

    private final Set<EmailOptInStatus> campaignable;

    SendingPolicy(Set<EmailOptInStatus> campaignable) {
        this.campaignable = campaignable;
    }

    public boolean permitsCampaignTo(EmailOptInStatus status) {
        return campaignable.contains(status);
    }

    public Set<EmailOptInStatus> campaignableStatuses() {
        return EnumSet.copyOf(campaignable);
    }
}
