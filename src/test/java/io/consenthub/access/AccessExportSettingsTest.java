package io.consenthub.access;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccessExportSettingsTest {

    @Test
    void plaintextWaitsThirtyDaysAfterAMailboxChangeUnlessConfigured() {
        assertThat(new AccessExportSettings(null).plaintextAfterMailboxChange()).isEqualTo(Duration.ofDays(30));
        assertThat(new AccessExportSettings(Duration.ZERO).plaintextAfterMailboxChange()).isZero();
    }

    @Test
    void aNegativeWaitIsRefusedNamingTheProperty() {
        assertThatThrownBy(() -> new AccessExportSettings(Duration.ofDays(-1)))
                .hasMessageContaining("consent-hub.access-export.plaintext-after-mailbox-change");
    }
}
