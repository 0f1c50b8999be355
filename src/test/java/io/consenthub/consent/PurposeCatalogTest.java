package io.consenthub.consent;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PurposeCatalogTest {

    private static Purpose purpose(String id, PurposeKind kind, String field, String condition) {
        return new Purpose(id, kind, Map.of("en", "Label " + id), Map.of(), false, condition, field, null);
    }

    @Test
    void aValidCatalogKeepsTheDeclaredOrder() {
        var catalog = new PurposeCatalog(new ConsentSettings(List.of(
                purpose("newsletter", PurposeKind.EMAIL_LIST, null, null),
                purpose("store-card", PurposeKind.FIELD_STORAGE, "cardNumber", "salesStage == 'ready-to-buy'"))));

        assertThat(catalog.all()).extracting(Purpose::id).containsExactly("newsletter", "store-card");
        assertThat(catalog.require("store-card").field()).isEqualTo("cardNumber");
    }

    @Test
    void everyMistakeInConsentsYamlIsReportedAtOnceAtStartUp() {
        var settings = new ConsentSettings(List.of(
                purpose("Bad Id", PurposeKind.CUSTOM, null, null),
                purpose("dup", PurposeKind.CUSTOM, null, null),
                purpose("dup", PurposeKind.CUSTOM, null, null),
                purpose("store-x", PurposeKind.FIELD_STORAGE, null, null),
                purpose("shown", PurposeKind.CUSTOM, null, "salesStage == "),
                purpose("email-opt-in", PurposeKind.CUSTOM, null, null),
                new Purpose("no-label", PurposeKind.CUSTOM, Map.of("sv", "Etikett"), Map.of(), false, null, null, null),
                purpose("stop-a", PurposeKind.STOP_PROCESSING, null, null),
                purpose("stop-b", PurposeKind.STOP_PROCESSING, null, null)));

        assertThatThrownBy(() -> new PurposeCatalog(settings))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("consent 'Bad Id': id must be")
                .hasMessageContaining("consent 'dup': declared twice")
                .hasMessageContaining("consent 'store-x': a field-storage consent must name the field")
                .hasMessageContaining("consent 'shown': condition")
                .hasMessageContaining("consent 'email-opt-in': the id is reserved")
                .hasMessageContaining("consent 'no-label': an English label")
                .hasMessageContaining("only one consent of kind stop-processing");
    }

    @Test
    void anUnknownPurposeNamedByACallerIsRefusedWithTheKnownOnes() {
        var catalog = new PurposeCatalog(new ConsentSettings(List.of(purpose("newsletter", PurposeKind.EMAIL_LIST, null, null))));

        assertThatThrownBy(() -> catalog.require("telepathy"))
                .hasMessage("unknown consent purpose 'telepathy'; known purposes: newsletter");
    }
}
