package io.consenthub.crm;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;

import static org.assertj.core.api.Assertions.assertThat;

/** Which connector keys the hub reads: the settings records are the schema, so a typo is named, never ignored. */
class CrmConfigCheckTest {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            kind                                    | known
            poll-period                             | known
            jdbc.url                                | known
            jdbc.init-script                        | known
            query                                   | known
            opt-out-query                           | known
            reconcile.cron                          | known
            reconcile.period                        | known
            columns.email-opt-out                   | known
            columns.external-id                     | known
            attributes.firstName                    | known
            attributes.anything-at-all              | known
            write-back.statements[0]                | known
            write-back.true-value                   | known
            write-back.fields.Email_Opt_In__c       | known
            salesforce.objects.Contact.email        | known
            salesforce.objects.Lead.attributes.company | known
            email-opt-uot                           | unknown key 'email-opt-uot'
            full-rescan                             | unknown key 'full-rescan'
            columns.email-opt-uot                   | unknown key 'email-opt-uot'
            columns.modified-time                   | unknown key 'modified-time'
            jdbc.user                               | unknown key 'user'
            reconcile.every                         | unknown key 'every'
            write-back.statement[0]                 | unknown key 'statement'
            write-back.statements.first             | 'statements' is a list
            query.text                              | 'query' is a single value
            attributes.address.city                 | known
            writeBack.trueValue                     | known
            pollPeriod                              | known
            optOutQuery                             | known
            columns.emailOptOut                     | known
            columns.emailOptUot                     | unknown key 'emailoptuot'
            salesforce.objects.Contact.mail         | unknown key 'mail'
            salesforce.streaming.enabled            | known
            salesforce.streaming.channel            | known
            salesforce.streaming.chanel             | unknown key 'chanel'
            salesforce.streaming.read-changes       | known
            salesforce.streaming.read-delay         | unknown key 'read-delay'
            """)
    void everyConnectorKeyIsKnownOrNamedAsAMistake(String key, String expected) {
        var name = ConfigurationPropertyName.adapt(CrmConfigCheck.PREFIX + ".some-crm." + key, '.');
        int base = ConfigurationPropertyName.of(CrmConfigCheck.PREFIX).getNumberOfElements() + 1;
        String problem = CrmConfigCheck.unknownBelow(CrmSettings.Connector.class, name, base);
        if (expected.equals("known")) {
            assertThat(problem).isNull();
        } else {
            assertThat(problem).startsWith(expected);
        }
    }
}
