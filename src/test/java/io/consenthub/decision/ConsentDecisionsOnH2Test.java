package io.consenthub.decision;

import io.consenthub.support.HubTest;
import org.springframework.test.context.TestPropertySource;

/** The decision service at every entry point, on the embedded H2 store. */
@HubTest
@TestPropertySource(properties = {"consent-hub.crm.connectors.shop-crm.kind=push", "consent-hub.crm.connectors.shop-crm.enabled=true"})
class ConsentDecisionsOnH2Test extends ConsentDecisionsContractTest {
}
