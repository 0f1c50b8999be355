package io.consenthub.system;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Keeps the embedded H2's {@code AUTO_SERVER} port on loopback. {@code AUTO_SERVER=TRUE} (which lets
 * a second process, such as the README's tamper demo, open the database file while the hub runs)
 * starts an H2 TCP server that listens on every interface unless the JVM-wide {@code h2.bindAddress}
 * is set before H2 opens its first server socket; this runs before any bean, so it always is.
 * {@code consent-hub.h2.bind-address} chooses another address; an explicit {@code -Dh2.bindAddress} wins.
 */
class LoopbackDatabaseServer implements EnvironmentPostProcessor {

    static final String H2_BIND_ADDRESS = "h2.bindAddress";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (System.getProperty(H2_BIND_ADDRESS) == null) {
            System.setProperty(H2_BIND_ADDRESS, environment.getProperty("consent-hub.h2.bind-address", "127.0.0.1"));
        }
    }
}
