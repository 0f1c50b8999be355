package io.consenthub.email;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * {@code consent-hub.email.tracking}: how link scanners are told from people (see {@link EngagementRules}).
 * {@code scanner-agents} replaces the built-in list of user-agent substrings when given.
 */
@ConfigurationProperties("consent-hub.email.tracking")
record TrackingSettings(Duration earlyWindow, Duration burstWindow, Integer burstSize, List<String> scannerAgents) {

    TrackingSettings {
        var defaults = EngagementRules.DEFAULTS;
        earlyWindow = earlyWindow == null ? defaults.earlyWindow() : earlyWindow;
        burstWindow = burstWindow == null ? defaults.burstWindow() : burstWindow;
        burstSize = burstSize == null ? defaults.burstSize() : burstSize;
        scannerAgents = scannerAgents == null || scannerAgents.isEmpty() ? defaults.scannerAgents()
                : scannerAgents.stream().map(a -> a.toLowerCase(Locale.ROOT)).toList();
        if (burstSize < 2 || earlyWindow.isNegative() || burstWindow.isNegative()) {
            throw new IllegalArgumentException("consent-hub.email.tracking: burst-size must be at least 2 and the windows not negative");
        }
    }

    EngagementRules.Thresholds thresholds() {
        return new EngagementRules.Thresholds(earlyWindow, burstWindow, burstSize, scannerAgents);
    }
}
