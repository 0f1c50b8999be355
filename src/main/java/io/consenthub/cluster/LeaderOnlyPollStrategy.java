package io.consenthub.cluster;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultPollingConsumerPollStrategy;
import org.springframework.stereotype.Component;

/**
 * The leadership of {@link LeaderOnlyRoutePolicy} for polling consumers that fetch before any
 * exchange exists, such as the IMAP reader ({@code pollStrategy: "#leaderOnlyPolls"}): on a member
 * that does not lead, a poll is skipped before the consumer connects, so a standby neither logs in
 * to the mailbox nor marks messages seen that it would then drop.
 */
@Component("leaderOnlyPolls")
public class LeaderOnlyPollStrategy extends DefaultPollingConsumerPollStrategy {

    private final LeaderOnlyRoutePolicy leadership;

    LeaderOnlyPollStrategy(LeaderOnlyRoutePolicy leadership) {
        this.leadership = leadership;
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        return leadership.isLeader();
    }
}
