package io.consenthub.support;

import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.test.context.DynamicPropertyRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Adds a shipped connector file from {@code config/crm/} (also an {@code .example} one) to a test's
 * properties exactly as written, placeholders included, so the test exercises the real mapping.
 */
public final class ConnectorConfig {

    private ConnectorConfig() {
    }

    public static void load(DynamicPropertyRegistry registry, String file) {
        try {
            for (var source : new YamlPropertySourceLoader().load(file, new FileSystemResource(file))) {
                var enumerable = (EnumerablePropertySource<?>) source;
                for (String name : enumerable.getPropertyNames()) {
                    Object value = enumerable.getProperty(name);
                    registry.add(name, () -> value == null ? "" : value.toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
    }
}
