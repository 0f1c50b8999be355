package io.consenthub.support;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;

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

    /**
     * Inserts {@code count} contacts from id {@code firstId} on, with batched statements: a hundred
     * per modification second from {@code firstModified}, every 50th opted out, emails
     * {@code person<id>@<emailDomain>}.
     */
    public static void insertContacts(JdbcTemplate crm, int firstId, int count, String emailDomain, LocalDateTime firstModified) {
        int batch = 5_000;
        int end = firstId + count;
        for (int from = firstId; from < end; from += batch) {
            var entities = new ArrayList<Object[]>();
            var details = new ArrayList<Object[]>();
            var addresses = new ArrayList<Object[]>();
            var customFields = new ArrayList<Object[]>();
            for (int id = from; id < from + batch && id < end; id++) {
                Timestamp at = Timestamp.valueOf(firstModified.plusSeconds((id - firstId) / 100));
                entities.add(new Object[] {id, at, at, "Person " + id});
                details.add(new Object[] {id, "CON" + id, "First" + id, "Last" + id, "person" + id + "@" + emailDomain,
                        "+46 70 " + (1_000_000 + id), id % 50 == 0 ? "1" : "0"});
                addresses.add(new Object[] {id, id % 3 == 0 ? "Sweden" : "Norway", "City" + (id % 100)});
                customFields.add(new Object[] {id});
            }
            crm.batchUpdate("""
                    insert into vtiger_crmentity (crmid, smcreatorid, smownerid, modifiedby, setype, createdtime, modifiedtime,
                                                  deleted, label) values (?, 1, 1, 1, 'Contacts', ?, ?, 0, ?)""", entities);
            crm.batchUpdate("""
                    insert into vtiger_contactdetails (contactid, contact_no, firstname, lastname, email, phone, emailoptout)
                    values (?, ?, ?, ?, ?, ?, ?)""", details);
            crm.batchUpdate("insert into vtiger_contactaddress (contactaddressid, mailingcountry, mailingcity) values (?, ?, ?)", addresses);
            crm.batchUpdate("insert into vtiger_contactscf (contactid) values (?)", customFields);
        }
    }
}
