package io.consenthub.crm.salesforce;

import io.consenthub.crm.ConnectorCheck;
import io.consenthub.crm.CrmSettings;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Start-up checks of a Salesforce connector's {@code salesforce.streaming} section: the channel is a
 * Change Data Capture channel ({@code /data/...}) and no two connectors
 * stream the same channel — camel-salesforce keeps replay ids per channel name for the whole JVM,
 * so two orgs on one channel name would resume from each other's events.
 */
@Component
class SalesforceStreamingCheck implements ConnectorCheck {

    private static final Pattern CHANNEL = Pattern.compile("/data/[A-Za-z][A-Za-z0-9_]{0,120}");

    private final CrmSettings settings;

    SalesforceStreamingCheck(CrmSettings settings) {
        this.settings = settings;
    }

    @Override
    public String kind() {
        return "salesforce";
    }

    @Override
    public void check(String connectorId, CrmSettings.Connector connector, List<String> problems) {
        if (!connector.enabled() || connector.salesforce() == null || !connector.salesforce().streaming().enabled()) {
            return;
        }
        String at = "consent-hub.crm.connectors." + connectorId + ".salesforce.streaming.";
        CrmSettings.Streaming streaming = connector.salesforce().streaming();
        if (!CHANNEL.matcher(streaming.channel()).matches()) {
            problems.add(at + "channel: a Change Data Capture channel is /data/ChangeEvents, /data/<Object>ChangeEvent"
                    + " or a custom /data/<Name>__chn; is " + streaming.channel());
        }
        for (Map.Entry<String, CrmSettings.Connector> other : settings.connectors().entrySet()) {
            CrmSettings.Connector them = other.getValue();
            if (other.getKey().compareTo(connectorId) < 0 && "salesforce".equals(them.kind()) && them.enabled() && them.salesforce() != null
                    && them.salesforce().streaming().enabled() && them.salesforce().streaming().channel().equals(streaming.channel())) {
                problems.add(at + "channel: connector " + other.getKey() + " streams " + streaming.channel()
                        + " already; camel-salesforce keeps replay ids per channel name, so each connector needs its own"
                        + " channel (a custom /data/<Name>__chn)");
            }
        }
    }
}
