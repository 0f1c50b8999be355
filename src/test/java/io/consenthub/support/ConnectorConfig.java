package io.consenthub.support;

import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.test.context.DynamicPropertyRegistry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.UnaryOperator;

/**
 * Adds a shipped connector file from {@code config/crm/} (also an {@code .example} one) to a test's
 * properties exactly as written, placeholders included, so the test exercises the real mapping.
 */
public final class ConnectorConfig {

    private ConnectorConfig() {
    }

    public static void load(DynamicPropertyRegistry registry, String file) {
        load(registry, file, UnaryOperator.identity());
    }

    /** As {@link #load(DynamicPropertyRegistry, String)}, with each property name passed through {@code rename}. */
    public static void load(DynamicPropertyRegistry registry, String file, UnaryOperator<String> rename) {
        try {
            for (var source : new YamlPropertySourceLoader().load(file, new FileSystemResource(file))) {
                var enumerable = (EnumerablePropertySource<?>) source;
                for (String name : enumerable.getPropertyNames()) {
                    Object value = enumerable.getProperty(name);
                    registry.add(rename.apply(name), () -> value == null ? "" : value.toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
    }
}
