package io.consenthub;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The layering the design asks for: features depend downwards only, and beans get their collaborators by constructor. */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.consenthub");
    }

    @Test
    void featurePackagesHaveNoCycles() {
        slices().matching("io.consenthub.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void contactsKnowNothingOfConsentOrTheWaysIntoTheHub() {
        noClasses().that().resideInAPackage("io.consenthub.contact..")
                .should().dependOnClassesThat().resideInAnyPackage("io.consenthub.consent..", "io.consenthub.consent.optin..",
                        "io.consenthub.api..", "io.consenthub.crm..", "io.consenthub.webform..")
                .check(classes);
    }

    @Test
    void theLedgerAndTheOptInRulesDoNotDependOnAdapters() {
        noClasses().that().resideInAnyPackage("io.consenthub.consent..", "io.consenthub.consent.optin..")
                .should().dependOnClassesThat().resideInAnyPackage("io.consenthub.api..", "io.consenthub.crm..",
                        "io.consenthub.webform..", "org.apache.camel..")
                .check(classes);
    }

    @Test
    void noFieldInjection() {
        noFields().should().beAnnotatedWith(Autowired.class).check(classes);
    }
}
