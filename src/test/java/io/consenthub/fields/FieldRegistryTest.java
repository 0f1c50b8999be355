package io.consenthub.fields;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The start-up refusals of {@link FieldRegistry}: a field once encrypted stays declared and encrypted. */
class FieldRegistryTest {

    @Test
    void aFieldNeverEncryptedMayComeAndGo() {
        assertThat(FieldRegistry.problems(Set.of(), Set.of("cardNumber"), Set.of())).isEmpty();
        assertThat(FieldRegistry.problems(Set.of(), Set.of(), Set.of("cardNumber"))).isEmpty();
    }

    @Test
    void aFieldStillDeclaredAndEncryptedIsFine() {
        assertThat(FieldRegistry.problems(Set.of("cardNumber"), Set.of("cardNumber", "nationalId"), Set.of())).isEmpty();
    }

    @Test
    void removingAFieldOnceEncryptedIsRefusedWithTheWayOut() {
        assertThat(FieldRegistry.problems(Set.of("cardNumber", "nationalId"), Set.of("nationalId"), Set.of()))
                .singleElement().asString()
                .contains("'cardNumber'").contains("no longer in config/fields.yaml").contains("erase them first");
    }

    @Test
    void turningEncryptionOffForAFieldOnceEncryptedIsRefused() {
        assertThat(FieldRegistry.problems(Set.of("cardNumber"), Set.of(), Set.of("cardNumber")))
                .singleElement().asString().contains("'cardNumber'").contains("encrypted: false");
    }

    @Test
    void everyProblemIsListed() {
        assertThat(FieldRegistry.problems(Set.of("a", "b", "c"), Set.of("c"), Set.of("b"))).hasSize(2);
    }

    @Test
    void thePrimaryEmailMayBeTurnedSensitiveButOnceSensitiveNotTurnedOffAgain() {
        assertThat(FieldRegistry.emailProblem(false, false)).isEmpty();
        assertThat(FieldRegistry.emailProblem(false, true)).isEmpty();
        assertThat(FieldRegistry.emailProblem(true, true)).isEmpty();
        assertThat(FieldRegistry.emailProblem(true, false)).hasValueSatisfying(p ->
                assertThat(p).contains("consent-hub.fields.email.sensitive").contains("put 'sensitive: true' back"));
    }

    @Test
    void thePrimaryEmailsRegistryEntryCannotBeAnAttributeName() {
        assertThat(FieldRegistry.EMAIL).doesNotMatch("[A-Za-z][A-Za-z0-9_.-]{0,63}");
    }
}
