package io.consenthub.crm;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A CRM without a many-record call: {@link CrmWriter#writeAll} writes record by record, each with its own outcome. */
class CrmWriterOneByOneTest {

    /** A CRM kind that knows records "1" and "2", has no record "3", and fails on "4" with a message quoting a value. */
    private static final class OneRecordAtATime implements CrmWriter {

        private final List<String> written = new java.util.ArrayList<>();

        @Override
        public String kind() {
            return "one-at-a-time";
        }

        @Override
        public boolean write(String connectorId, CrmSettings.Connector connector, String externalId, WriteBackValues values) {
            if (externalId.equals("4")) {
                throw new IllegalStateException("the CRM refused someone@example.com");
            }
            if (externalId.equals("3")) {
                return false;
            }
            written.add(externalId);
            return true;
        }

        @Override
        public boolean erase(String connectorId, CrmSettings.Connector connector, String externalId) {
            return true;
        }
    }

    @Test
    void eachRecordIsWrittenOnItsOwnAndOneRecordsFaultStopsNoOther() {
        var writer = new OneRecordAtATime();
        var values = new WriteBackValues(Map.of("optOut", true));

        var results = writer.writeAll("crm", null, List.of(new CrmWriter.RecordWrite("1", values),
                new CrmWriter.RecordWrite("3", values), new CrmWriter.RecordWrite("4", values), new CrmWriter.RecordWrite("2", values)));

        assertThat(results).extracting(CrmWriter.RecordResult::outcome).containsExactly(CrmWriter.RecordResult.Outcome.WRITTEN,
                CrmWriter.RecordResult.Outcome.NOT_FOUND, CrmWriter.RecordResult.Outcome.RETRY, CrmWriter.RecordResult.Outcome.WRITTEN);
        assertThat(writer.written).containsExactly("1", "2");
        assertThat(results.get(2).reason()).isEqualTo("IllegalStateException").doesNotContain("@");
    }
}
