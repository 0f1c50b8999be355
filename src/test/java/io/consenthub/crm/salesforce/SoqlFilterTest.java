package io.consenthub.crm.salesforce;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** An object's extra condition may only narrow the query: conditions pass, anything else is named. */
class SoqlFilterTest {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            IsPersonAccount = true                                             | ok
            isPersonAccount = TRUE AND RecordType.DeveloperName = 'PersonAccount' | ok
            (Type != 'Partner' OR Type = null) AND NOT Industry IN ('Banking', 'Insurance') | ok
            Industry NOT IN ('Banking')                                        | ok
            Name LIKE 'Acme%'                                                  | ok
            CreatedDate >= 2024-01-01T00:00:00Z AND AnnualRevenue > -1.5      | ok
            LastModifiedDate = LAST_N_DAYS:30                                  | ok
            Name = 'it\\'s'                                                    | ok
            IsPersonAccount = true LIMIT 10                                    | 'LIMIT' does not continue the condition
            IsPersonAccount = true ORDER BY Name                               | 'ORDER' does not continue the condition
            IsPersonAccount = true) OR (Id != null                             | ')' does not continue the condition
            Name = 'unclosed                                                   | is not part of a SOQL condition
            Id IN (SELECT ContactId FROM Case)                                 | 'SELECT' is not a value
            IsPersonAccount = true; DELETE                                     | is not part of a SOQL condition
            IsPersonAccount                                                    | an operator expected at the end
            = true                                                             | '=' is not a field name
            Name = Other_Field__c                                              | 'Other_Field__c' is not a value
            """)
    void onlyAConditionPasses(String where, String expected) {
        String problem = SoqlFilter.problem(where);
        if (expected.equals("ok")) {
            assertThat(problem).isNull();
        } else {
            assertThat(problem).contains(expected);
        }
    }
}
