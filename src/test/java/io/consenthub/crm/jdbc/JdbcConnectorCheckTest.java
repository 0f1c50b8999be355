package io.consenthub.crm.jdbc;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Which write-back statements a JDBC connector may declare: only updates and upserts write into a CRM. */
class JdbcConnectorCheckTest {

    private static final Set<String> PARAMETERS = Set.of("externalId", "optInStatus", "emailOptOut", "consent_newsletter");

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            update c set status = :optInStatus where id = :externalId                                   | allowed
            UPDATE c SET status = :optInStatus WHERE id = :externalId;                                  | allowed
            '  update c set f = :consent_newsletter where id = :externalId'                             | allowed
            insert into c (id, s) values (:externalId, :optInStatus) on conflict (id) do update set s = excluded.s | allowed
            insert into c (id, s) values (:externalId, :optInStatus) on duplicate key update s = values(s) | allowed
            update c set s = cast(:optInStatus as varchar)::text where id = :externalId                | allowed
            delete from c where id = :externalId                                                        | only UPDATE
            insert into c (id, s) values (:externalId, :optInStatus)                                    | only UPDATE
            insert into c (id, s) values (:externalId, :optInStatus) on conflict do nothing             | only UPDATE
            replace into c (id, s) values (:externalId, :optInStatus)                                   | only UPDATE
            merge into c using x on (c.id = x.id) when matched then delete                              | only UPDATE
            truncate table c                                                                            | only UPDATE
            update c set s = :optInStatus where id = :externalId; delete from c                         | one statement per entry
            update c set s = :optInStatuz where id = :externalId                                        | unknown parameters [:optInStatuz]
            update c set s = :optInStatus where id = :externalID                                        | unknown parameters [:externalID]
            """)
    void onlyUpdatesAndUpsertsWithKnownParametersMayWriteIntoACrm(String statement, String expected) {
        String problem = JdbcConnectorCheck.statementProblem(statement, PARAMETERS);
        if (expected.equals("allowed")) {
            assertThat(problem).isNull();
        } else {
            assertThat(problem).startsWith(expected);
        }
    }
}
