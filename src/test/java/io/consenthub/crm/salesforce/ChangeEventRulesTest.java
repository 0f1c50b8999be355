package io.consenthub.crm.salesforce;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every case of {@link ChangeEventRules}, from Salesforce's Change Data Capture documentation: the
 * change types, and for updates which changed fields (body keys, compound parts as Salesforce names
 * them) the hub maps. The mapped fields are those of the shipped Contact mapping: Email, FirstName,
 * LastName, Phone, MailingCountry, HasOptedOutOfEmail.
 */
class ChangeEventRulesTest {

    private static final Set<String> READ = Set.of("Id", "SystemModstamp", "IsDeleted", "HasOptedOutOfEmail", "Email", "FirstName",
            "LastName", "Phone", "MailingCountry", "MasterRecordId");

    @ParameterizedTest(name = "{0} changing [{1}] with opt-out {2}: opt-out {3}, delete {4}, read {5}, poll {6}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            # change type | changed fields                            | opt-out value | opt-out | delete | read  | poll
            CREATE        | Email FirstName LastName                  | null          | false   | false  | true  | false
            CREATE        | Email HasOptedOutOfEmail                  | true          | false   | false  | true  | false
            UNDELETE      | ''                                        | null          | false   | false  | true  | false
            DELETE        | ''                                        | null          | false   | true   | false | false
            GAP_CREATE    | ''                                        | null          | false   | false  | true  | false
            GAP_UPDATE    | ''                                        | null          | false   | false  | true  | false
            GAP_UNDELETE  | ''                                        | null          | false   | false  | true  | false
            GAP_DELETE    | ''                                        | null          | false   | true   | false | false
            GAP_OVERFLOW  | ''                                        | null          | false   | false  | false | true
            UPDATE        | HasOptedOutOfEmail LastModifiedDate       | true          | true    | false  | false | false
            UPDATE        | HasOptedOutOfEmail LastModifiedDate       | 'true'        | true    | false  | false | false
            UPDATE        | HasOptedOutOfEmail FirstName              | true          | true    | false  | true  | false
            UPDATE        | HasOptedOutOfEmail LastModifiedDate       | false         | false   | false  | true  | false
            UPDATE        | HasOptedOutOfEmail                        | null          | false   | false  | true  | false
            UPDATE        | Email LastModifiedDate                    | null          | false   | false  | true  | false
            UPDATE        | LastName                                  | null          | false   | false  | true  | false
            UPDATE        | Title Description LastModifiedDate        | null          | false   | false  | false | false
            UPDATE        | LastModifiedDate SystemModstamp           | null          | false   | false  | false | false
            UPDATE        | LastModifiedById                          | null          | false   | false  | false | false
            UPDATE        | ''                                        | null          | false   | false  | false | false
            UPDATE        | Email_Opt_In_Status__c                    | null          | false   | false  | false | false
            UPDATE        | Name.FirstName LastModifiedDate           | null          | false   | false  | true  | false
            UPDATE        | Name.Salutation                           | null          | false   | false  | false | false
            UPDATE        | MailingAddress.Country                    | null          | false   | false  | true  | false
            UPDATE        | MailingAddress.City                       | null          | false   | false  | false | false
            UPDATE        | OtherAddress.Country                      | null          | false   | false  | false | false
            UPDATE        | Name                                      | null          | false   | false  | false | false
            SOMETHING_NEW | ''                                        | null          | false   | false  | true  | false
            null          | ''                                        | null          | false   | false  | true  | false
            """)
    void eachChangeTypeAndFieldGetsItsReaction(String changeType, String changed, String optOutValue, boolean optOut,
                                               boolean delete, boolean read, boolean poll) {
        Set<String> fields = Arrays.stream(changed.split(" ")).filter(f -> !f.isBlank()).collect(Collectors.toSet());
        Object value = optOutValue == null ? null : optOutValue.startsWith("'") ? optOutValue.replace("'", "") : Boolean.valueOf(optOutValue);

        var reaction = ChangeEventRules.of(changeType, fields, value, READ, "HasOptedOutOfEmail");

        assertThat(reaction).isEqualTo(new ChangeEventRules.Reaction(optOut, delete, read, poll));
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            Name.FirstName              | FirstName
            Name.LastName               | LastName
            MailingAddress.Country      | MailingCountry
            MailingAddress.PostalCode   | MailingPostalCode
            Address.Country             | Country
            BillingAddress.City         | BillingCity
            PersonMailingAddress.Street | PersonMailingStreet
            Location__c.Latitude__s     | Location__c
            Email                       | Email
            Name                        | Name
            """)
    void compoundPartsAreNamedAsAQuerySelectsThem(String named, String field) {
        assertThat(ChangeEventRules.fieldNames(Set.of(named))).containsExactly(field);
    }
}
