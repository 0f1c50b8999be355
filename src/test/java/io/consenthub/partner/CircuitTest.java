package io.consenthub.partner;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class CircuitTest {

    private final Instant t0 = Instant.parse("2026-12-02T10:00:00Z");
    private final Circuit circuit = new Circuit(3, Duration.ofSeconds(30));

    @Test
    void opensAfterTheConfiguredFailuresInARowOnly() {
        circuit.failed(t0);
        circuit.failed(t0);
        assertThat(circuit.state(t0)).isEqualTo(Circuit.State.CLOSED);
        circuit.succeeded();
        circuit.failed(t0);
        circuit.failed(t0);
        assertThat(circuit.allows(t0)).isTrue();
        circuit.failed(t0);
        assertThat(circuit.state(t0)).isEqualTo(Circuit.State.OPEN);
        assertThat(circuit.allows(t0.plusSeconds(29))).isFalse();
    }

    @Test
    void halfOpenAfterTheWaitThenASuccessClosesAndAFailureReopensAtOnce() {
        for (int i = 0; i < 3; i++) {
            circuit.failed(t0);
        }
        Instant later = t0.plusSeconds(30);
        assertThat(circuit.state(later)).isEqualTo(Circuit.State.HALF_OPEN);
        circuit.failed(later);
        assertThat(circuit.state(later)).isEqualTo(Circuit.State.OPEN);
        Instant again = later.plusSeconds(30);
        assertThat(circuit.allows(again)).isTrue();
        circuit.succeeded();
        assertThat(circuit.state(again)).isEqualTo(Circuit.State.CLOSED);
        circuit.failed(again);
        assertThat(circuit.state(again)).isEqualTo(Circuit.State.CLOSED);
    }

    @Test
    void halfOpenLetsOneTrialCallThroughUntilItIsSettled() {
        for (int i = 0; i < 3; i++) {
            circuit.failed(t0);
        }
        assertThat(circuit.tryCall(t0.plusSeconds(29))).as("open").isFalse();
        Instant later = t0.plusSeconds(30);
        assertThat(circuit.tryCall(later)).as("the trial").isTrue();
        assertThat(circuit.tryCall(later)).as("a second call while the trial is out").isFalse();
        assertThat(circuit.allows(later)).isFalse();
        circuit.failed(later);
        assertThat(circuit.tryCall(later.plusSeconds(29))).as("open again").isFalse();
        Instant again = later.plusSeconds(30);
        assertThat(circuit.tryCall(again)).isTrue();
        circuit.succeeded();
        assertThat(circuit.tryCall(again)).isTrue();
        assertThat(circuit.tryCall(again)).as("closed: every call").isTrue();
    }
}
