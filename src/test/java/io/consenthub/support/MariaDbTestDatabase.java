package io.consenthub.support;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;

/**
 * A real vtiger-shaped CRM database in the local MariaDB (127.0.0.1:3306, root), one per test
 * class and JVM ({@code <name>_<pid>}), loaded with the reference vtiger contact schema and the
 * custom fields {@code config/crm/vtiger.yaml.example} writes back into.
 */
public final class MariaDbTestDatabase {

    public static final String SERVER_URL = "jdbc:mariadb://127.0.0.1:3306/";

    private MariaDbTestDatabase() {
    }

    public static String name(String base) {
        return base + "_" + ProcessHandle.current().pid();
    }

    /** Drops and recreates the database, loads the vtiger schema and returns its JDBC URL. */
    public static String freshVtiger(String base) {
        String database = name(base);
        if (!database.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("database name must be lower-case letters, digits and '_'");
        }
        try (var connection = DriverManager.getConnection(SERVER_URL, "root", "");
             var statement = connection.createStatement()) {
            statement.execute("drop database if exists " + database);
            statement.execute("create database " + database + " character set utf8mb4");
        } catch (SQLException e) {
            throw new IllegalStateException("could not create MariaDB database " + database, e);
        }
        String url = SERVER_URL + database;
        var populator = new ResourceDatabasePopulator(new ClassPathResource("vtiger/vtiger-contact-schema.sql"),
                new ClassPathResource("vtiger/vtiger-custom-fields.sql"));
        populator.execute(new DriverManagerDataSource(url, "root", ""));
        return url;
    }

    public static void drop(String base) {
        try (var connection = DriverManager.getConnection(SERVER_URL, "root", "");
             var statement = connection.createStatement()) {
            statement.execute("drop database if exists " + name(base));
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop MariaDB database " + name(base), e);
        }
    }

    /** Inserts one contact the way vtiger stores it: entity, details, address and custom-field rows. */
    public static void insertContact(JdbcTemplate crm, int id, String first, String last, String email,
                                     boolean emailOptOut, LocalDateTime modified) {
        Timestamp at = Timestamp.valueOf(modified);
        crm.update("""
                insert into vtiger_crmentity (crmid, smcreatorid, smownerid, modifiedby, setype, createdtime, modifiedtime,
                                              deleted, source, label) values (?, 1, 1, 1, 'Contacts', ?, ?, 0, 'CRM', ?)""",
                id, at, at, first + " " + last);
        crm.update("""
                insert into vtiger_contactdetails (contactid, contact_no, firstname, lastname, email, emailoptout)
                values (?, ?, ?, ?, ?, ?)""", id, "CON" + id, first, last, email, emailOptOut ? "1" : "0");
        crm.update("insert into vtiger_contactaddress (contactaddressid, mailingcountry, mailingcity) values (?, 'Sweden', 'Lund')", id);
        crm.update("insert into vtiger_contactscf (contactid) values (?)", id);
    }
}
