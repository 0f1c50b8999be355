package io.consenthub;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.consenthub.consent.ContactState;
import io.consenthub.consent.ConsentValue;
import io.consenthub.consent.optin.EmailOptInStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.modulith.core.ApplicationModules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The structure the design asks for. Spring Modulith checks the modules (each top-level package;
 * no cycles, no use of another module's internals). The rules below keep each rule in one place:
 * only {@code consent} reads and writes the consent tables and parses stored statuses, only the
 * decision service interprets a contact's consent state (list filters may still select by a value,
 * as the query API does), and beans get collaborators by constructor.
 */
class ArchitectureTest {

    private static final Path MAIN = Path.of("src/main/java/io/consenthub");
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.consenthub");
    }

    @Test
    void theModulesHaveNoCyclesAndUseOnlyEachOthersPublishedTypes() {
        ApplicationModules.of(ConsentHubApplication.class).verify();
    }

    @Test
    void contactsKnowNothingOfConsentOrTheWaysIntoTheHub() {
        noClasses().that().resideInAPackage("io.consenthub.contact..")
                .should().dependOnClassesThat().resideInAnyPackage("io.consenthub.consent..", "io.consenthub.decision..",
                        "io.consenthub.api..", "io.consenthub.crm..", "io.consenthub.webform..")
                .check(classes);
    }

    @Test
    void theLedgerTheOptInRulesAndTheDecisionRulesDoNotDependOnAdapters() {
        noClasses().that().resideInAnyPackage("io.consenthub.consent..", "io.consenthub.decision..")
                .should().dependOnClassesThat().resideInAnyPackage("io.consenthub.api..", "io.consenthub.crm..",
                        "io.consenthub.webform..", "io.consenthub.email..", "io.consenthub.preference..")
                .check(classes);
        noClasses().that().resideInAnyPackage("io.consenthub.consent..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.camel..", "io.consenthub.decision..")
                .check(classes);
    }

    @Test
    void onlyTheDecisionServiceInterpretsAContactsConsentState() {
        noClasses().that().resideOutsideOfPackages("io.consenthub.consent..", "io.consenthub.decision..")
                .should().callMethodWhere(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "interprets ContactState beyond its opt-in status",
                        call -> call.getTargetOwner().isEquivalentTo(ContactState.class)
                                && !List.of("emailOptIn", "contact").contains(call.getName())
                                || call.getTargetOwner().isEquivalentTo(ContactState.PurposeValue.class)))
                .check(classes);
        noClasses().that().resideOutsideOfPackages("io.consenthub.consent..", "io.consenthub.decision..")
                .should().callMethodWhere(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "reads a stored consent value (ConsentValue.name, valueOf, of)",
                        call -> call.getTargetOwner().isEquivalentTo(ConsentValue.class)))
                .check(classes);
    }

    @Test
    void storedOptInStatusesAreParsedOnlyInsideConsent() {
        noClasses().that().resideOutsideOfPackage("io.consenthub.consent..")
                .should().callMethod(EmailOptInStatus.class, "valueOf", String.class)
                .orShould().callMethod(EmailOptInStatus.class, "ofStored", String.class)
                .check(classes);
    }

    @Test
    void onlyConsentReadsOrWritesTheConsentTables() throws IOException {
        Pattern tables = Pattern.compile("\\b(consent_event|consent_state|ledger_head)\\b");
        try (Stream<Path> files = Files.walk(MAIN)) {
            List<Path> offenders = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !f.startsWith(MAIN.resolve("consent")))
                    .filter(f -> {
                        try {
                            return tables.matcher(withoutComments(Files.readString(f))).find();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).toList();
            assertThat(offenders).as("classes outside consent naming the consent tables").isEmpty();
        }
    }

    @Test
    void crmsAreWrittenOnlyFromTheGatedWriteBackStep() {
        noClasses().that().doNotHaveFullyQualifiedName("io.consenthub.crm.CrmWriteBack")
                .should().callMethodWhere(com.tngtech.archunit.base.DescribedPredicate.describe("writes into a CRM",
                        call -> call.getTargetOwner().isAssignableTo(io.consenthub.crm.CrmWriter.class) && (call.getName().equals("write") || call.getName().equals("writeAll"))))
                .check(classes);
    }

    /** Javadoc may name a table; statements may not. */
    private static String withoutComments(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("(?m)^\\s*//.*$", "");
    }

    @Test
    void noFieldInjection() {
        noFields().should().beAnnotatedWith(Autowired.class).check(classes);
    }
}
