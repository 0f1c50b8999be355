package io.consenthub.shared;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * A Flyway migration written as a Spring bean, because it needs a key the class-path scan could
 * not give it (Spring Boot hands every {@link JavaMigration} bean to Flyway). It runs on Flyway's
 * connection, in Flyway's transaction; it has no checksum (its SQL is built at run time).
 */
public abstract class BeanMigration implements JavaMigration {

    private final MigrationVersion version;
    private final String description;

    protected BeanMigration(String version, String description) {
        this.version = MigrationVersion.fromVersion(version);
        this.description = description;
    }

    @Override
    public final MigrationVersion getVersion() {
        return version;
    }

    @Override
    public final String getDescription() {
        return description;
    }

    @Override
    public final Integer getChecksum() {
        return null;
    }

    @Override
    public final boolean canExecuteInTransaction() {
        return true;
    }
}
