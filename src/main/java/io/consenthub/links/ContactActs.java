package io.consenthub.links;

import io.consenthub.consent.ActorKind;
import io.consenthub.consent.Evidence;
import jakarta.servlet.http.HttpServletRequest;

import java.time.Clock;

/** Evidence of something a contact did through one of the hub's pages or links. */
public final class ContactActs {

    private ContactActs() {
    }

    public static Evidence evidence(HttpServletRequest request, Clock clock, String channel, String proofId) {
        return new Evidence(ActorKind.CONTACT, null, channel, clock.instant(), request.getRemoteAddr(),
                request.getHeader("User-Agent"), proofId, null);
    }
}
