package io.consenthub.consent;

import io.consenthub.support.HubTest;

/** Evidence erasure on the embedded H2 store. */
@HubTest
class EvidenceErasureOnH2Test extends EvidenceErasureTest {
}
