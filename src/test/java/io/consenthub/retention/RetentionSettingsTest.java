package io.consenthub.retention;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetentionSettingsTest {

    @Test
    void byDefaultAYearOfInactivityIsListedForReviewAndTheCrmsAreLeftAlone() {
        var settings = new RetentionSettings(null, null, null, null);
        assertThat(settings.inactiveFor()).isEqualTo(Duration.ofDays(365));
        assertThat(settings.action()).isEqualTo(RetentionSettings.Action.REVIEW);
        assertThat(settings.eraseInCrms()).isFalse();
        assertThat(settings.batchSize()).isEqualTo(100);
    }

    @Test
    void aPeriodThatIsNotPositiveAndAnEmptyBatchAreRefusedNamingTheProperty() {
        assertThatThrownBy(() -> new RetentionSettings(Duration.ZERO, null, null, null))
                .hasMessageContaining("consent-hub.retention.inactive-for");
        assertThatThrownBy(() -> new RetentionSettings(null, null, null, 0))
                .hasMessageContaining("consent-hub.retention.batch-size");
    }
}
