package io.consenthub.crm;

import io.consenthub.ConsentHubApplication;
import io.consenthub.support.StartUpArgs;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A connector file with the three mistakes that used to start cleanly — a misspelt key, a
 * {@code modified} column the query does not return, a DELETE write-back statement — stops the
 * real hub's start-up, and the message lists all three with the file they are in.
 */
class CrmConfigRefusedAtStartTest {

    @Test
    void aConnectorWithATypoAMissingModifiedColumnAndADeleteStatementStopsStartUpListingAllThree() throws IOException {
        Path file = Path.of("target", "crm-config-refused-test.yaml");
        Files.writeString(file, """
                consent-hub:
                  crm:
                    connectors:
                      typo-crm:
                        kind: jdbc
                        enabled: true
                        poll-period: 1h
                        jdbc:
                          url: jdbc:h2:mem:crm-config-refused;DB_CLOSE_DELAY=-1;MODE=MySQL;DATABASE_TO_LOWER=TRUE
                          username: sa
                          password: ""
                          init-script: classpath:demo-crm/vtiger-demo.sql
                        query: |
                          select e.crmid, d.email, d.emailoptout from vtiger_crmentity e
                            join vtiger_contactdetails d on d.contactid = e.crmid
                           where e.modifiedtime >= :since
                        columns:
                          external-id: crmid
                          modified: modifiedtime
                          email: email
                          email-opt-uot: emailoptout
                        write-back:
                          statements:
                            - delete from vtiger_contactdetails where contactid = :externalId
                """);

        var hub = new SpringApplicationBuilder(ConsentHubApplication.class);
        String[] args = StartUpArgs.embedded("crm-config-refused-hub",
                "--spring.config.import=optional:file:./config/consents.yaml,file:" + file);

        assertThatThrownBy(() -> hub.run(args))
                .rootCause()
                .hasMessageContaining("the CRM connector configuration is invalid")
                .hasMessageContaining("crm-config-refused-test.yaml")
                .hasMessageContaining("consent-hub.crm.connectors.typo-crm.columns.email-opt-uot: unknown key 'email-opt-uot'")
                .hasMessageContaining("consent-hub.crm.connectors.typo-crm.write-back.statements[0]: only UPDATE")
                .hasMessageContaining("consent-hub.crm.connectors.typo-crm.columns.modified ('modifiedtime'): the query returns no such column");
    }
}
