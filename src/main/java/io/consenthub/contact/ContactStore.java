package io.consenthub.contact;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.consenthub.shared.SqlArrays;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * SQL for contacts and their CRM links. Every statement binds its parameters. The primary email is
 * written and read in its stored form ({@link EmailProtection}: plain, or sealed with a blind index
 * in {@code email_key}); every lookup by email goes through {@link EmailProtection#lookups}.
 */
@Repository
class ContactStore {

    private static final TypeReference<Map<String, String>> ATTRIBUTE_MAP = new TypeReference<>() { };

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    private final SensitiveFieldRows fields;
    private final EmailProtection emails;

    ContactStore(JdbcClient jdbc, ObjectMapper json, SensitiveFieldRows fields, EmailProtection emails) {
        this.jdbc = jdbc;
        this.json = json;
        this.fields = fields;
        this.emails = emails;
    }

    void insert(Contact contact) {
        var sensitive = new ArrayList<FieldProtection.Plain>();
        Map<String, String> plain = fields.split(contact.id(), contact.attributes(), sensitive);
        jdbc.sql("""
                insert into contact (id, primary_email, email_key, attributes, created_at, updated_at, version)
                values (?, ?, ?, ?, ?, ?, 0)""")
                .params(contact.id().value(), storedEmails(Map.of(contact.id(), contact.primaryEmail())).get(contact.id()),
                        emails.index(contact.primaryEmail().key()), write(plain), utc(contact.createdAt()), utc(contact.updatedAt()))
                .update();
        fields.write(sensitive, contact.createdAt());
        contact.crmLinks().forEach(link -> link(contact.id(), link, contact.createdAt()));
    }

    /**
     * Inserts many new contacts and their links with one statement each: the rows travel as
     * arrays and are unnested by the database, which costs a fraction of a statement per row.
     */
    void insertAll(List<Contact> contacts) {
        int n = contacts.size();
        var ids = new String[n];
        var emails = new String[n];
        var keys = new String[n];
        var attributes = new String[n];
        var created = new String[n];
        var updated = new String[n];
        var linkConnectors = new ArrayList<String>();
        var linkExternalIds = new ArrayList<String>();
        var linkContacts = new ArrayList<String>();
        var linkedAt = new ArrayList<String>();
        var sensitive = new ArrayList<FieldProtection.Plain>();
        var addresses = new HashMap<ContactId, EmailAddress>();
        contacts.forEach(c -> addresses.put(c.id(), c.primaryEmail()));
        Map<ContactId, String> stored = storedEmails(addresses);
        for (int i = 0; i < n; i++) {
            Contact c = contacts.get(i);
            ids[i] = c.id().value().toString();
            emails[i] = stored.get(c.id());
            keys[i] = this.emails.index(c.primaryEmail().key());
            attributes[i] = write(fields.split(c.id(), c.attributes(), sensitive));
            // a batch's contacts share one creation time: formatted once, not twice per contact
            created[i] = i > 0 && c.createdAt().equals(contacts.get(i - 1).createdAt()) ? created[i - 1] : SqlArrays.timestamp(c.createdAt());
            updated[i] = c.updatedAt().equals(c.createdAt()) ? created[i] : SqlArrays.timestamp(c.updatedAt());
            for (CrmLink link : c.crmLinks()) {
                linkConnectors.add(link.connectorId());
                linkExternalIds.add(link.externalId());
                linkContacts.add(ids[i]);
                linkedAt.add(created[i]);
            }
        }
        jdbc.sql("""
                insert into contact (id, primary_email, email_key, attributes, created_at, updated_at, version)
                select cast(r.id as uuid), r.email, r.email_key, r.attributes, cast(r.created as timestamp with time zone),
                       cast(r.updated as timestamp with time zone), 0
                  from unnest(cast(? as varchar array), cast(? as varchar array), cast(? as varchar array),
                              cast(? as varchar array), cast(? as varchar array), cast(? as varchar array))
                       r(id, email, email_key, attributes, created, updated)""")
                .params(ids, emails, keys, attributes, created, updated)
                .update();
        if (!contacts.isEmpty()) {
            fields.write(sensitive, contacts.get(0).createdAt());
        }
        if (!linkContacts.isEmpty()) {
            jdbc.sql("""
                    insert into crm_link (connector_id, external_id, contact_id, linked_at)
                    select r.connector_id, r.external_id, cast(r.contact_id as uuid), cast(r.linked_at as timestamp with time zone)
                      from unnest(cast(? as varchar array), cast(? as varchar array), cast(? as varchar array),
                                  cast(? as varchar array)) r(connector_id, external_id, contact_id, linked_at)""")
                    .params(linkConnectors.toArray(String[]::new), linkExternalIds.toArray(String[]::new),
                            linkContacts.toArray(String[]::new), linkedAt.toArray(String[]::new))
                    .update();
        }
    }

    /**
     * The stored form of new contacts' addresses. New contacts always get a key, so every one of
     * them has a stored form.
     */
    private Map<ContactId, String> storedEmails(Map<ContactId, EmailAddress> addresses) {
        Map<ContactId, String> stored = emails.seal(addresses);
        if (stored.size() != addresses.size()) {
            throw new IllegalStateException("the email of a new contact could not be sealed");
        }
        return stored;
    }

    /** Which of these email keys ({@link EmailAddress#key()}) belong to a contact already. */
    Set<String> emailKeysIn(Collection<String> keys) {
        var byIndex = new HashMap<String, String>();
        for (String key : new HashSet<>(keys)) {
            emails.lookups(key).forEach(index -> byIndex.put(index, key));
        }
        var found = new HashSet<String>();
        for (List<String> part : SqlArrays.parts(byIndex.keySet())) {
            jdbc.sql("select c.email_key from " + SqlArrays.KEYS + " join contact c on c.email_key = k.v")
                    .param(part.toArray(String[]::new)).query(String.class).list()
                    .forEach(index -> found.add(byIndex.get(index)));
        }
        return found;
    }

    /** The connectors each of these contacts is linked to; contacts without links are left out. */
    Map<ContactId, Set<String>> linkedConnectors(Collection<ContactId> contacts) {
        var found = new HashMap<ContactId, Set<String>>();
        for (List<String> part : SqlArrays.parts(contacts.stream().map(id -> id.value().toString()).toList())) {
            jdbc.sql("select distinct l.contact_id, l.connector_id from " + SqlArrays.KEYS
                            + " join crm_link l on l.contact_id = cast(k.v as uuid)")
                    .param(part.toArray(String[]::new))
                    .query((rs, n) -> found.computeIfAbsent(new ContactId(rs.getObject(1, UUID.class)), k -> new HashSet<>())
                            .add(rs.getString(2)))
                    .list();
        }
        return found;
    }

    /** The contacts these external ids of one connector are linked to, by external id. */
    Map<String, ContactId> linkedIn(String connectorId, Collection<String> externalIds) {
        var found = new HashMap<String, ContactId>();
        for (List<String> part : SqlArrays.parts(externalIds)) {
            jdbc.sql("select l.external_id, l.contact_id from " + SqlArrays.KEYS + " join crm_link l on l.connector_id = ? and l.external_id = k.v")
                    .params(part.toArray(String[]::new), connectorId)
                    .query((rs, n) -> found.put(rs.getString(1), new ContactId(rs.getObject(2, UUID.class))))
                    .list();
        }
        return found;
    }

    /**
     * Writes a contact's new email and attributes; of the sensitive ones only those that differ
     * from {@code before} are sealed again (a rewrite would cost a seal per value and change the
     * ciphertext for nothing), and those no longer present are removed.
     */
    void update(ContactId id, EmailAddress email, Attributes before, Attributes attributes, Instant now) {
        var sensitive = new ArrayList<FieldProtection.Plain>();
        Map<String, String> plain = fields.split(id, attributes, sensitive);
        String stored = emails.seal(Map.of(id, email)).get(id);
        if (stored == null) {
            // its key was destroyed (erased): the email is not written again
            jdbc.sql("update contact set attributes = ?, updated_at = ?, version = version + 1 where id = ?")
                    .params(write(plain), utc(now), id.value())
                    .update();
        } else {
            jdbc.sql("""
                    update contact set primary_email = ?, email_key = ?, attributes = ?, updated_at = ?, version = version + 1
                    where id = ?""")
                    .params(stored, emails.index(email.key()), write(plain), utc(now), id.value())
                    .update();
        }
        // A value equal to before is skipped only when it is sealed already: one still in the
        // attributes JSON (stored before its field was declared sensitive) is sealed now.
        Set<String> sealedBefore = fields.sealedFields(id);
        sensitive.removeIf(p -> sealedBefore.contains(p.field()) && p.value().equals(before.values().get(p.field())));
        fields.write(sensitive, now);
        var removed = new ArrayList<String>();
        for (String name : fields.sensitive()) {
            if (before.values().containsKey(name) && !attributes.values().containsKey(name)) {
                removed.add(name);
            }
        }
        fields.remove(id, removed);
    }

    void link(ContactId id, CrmLink link, Instant now) {
        jdbc.sql("insert into crm_link (connector_id, external_id, contact_id, linked_at) values (?, ?, ?, ?)")
                .params(link.connectorId(), link.externalId(), id.value(), utc(now))
                .update();
    }

    Optional<ContactId> linkedContact(CrmLink link) {
        return jdbc.sql("select contact_id from crm_link where connector_id = ? and external_id = ?")
                .params(link.connectorId(), link.externalId())
                .query((rs, n) -> new ContactId(rs.getObject(1, UUID.class)))
                .optional();
    }

    /** Reads a contact and takes its row lock, so concurrent changes to one contact queue up. */
    Optional<Contact> lock(ContactId id) {
        return find(id, " for update");
    }

    Optional<Contact> find(ContactId id) {
        return find(id, "");
    }

    private Optional<Contact> find(ContactId id, String lockClause) {
        return jdbc.sql("select id, primary_email, attributes, created_at, updated_at from contact where id = ? and removed_at is null"
                        + lockClause)
                .param(id.value())
                .query(this::contactRow)
                .optional()
                .map(row -> opened(List.of(row)).get(0))
                .map(c -> withSensitive(c, fields.read(List.of(c.id())).getOrDefault(c.id(), Map.of())))
                .map(this::withLinks);
    }

    private static Contact withSensitive(Contact contact, Map<String, String> opened) {
        if (opened.isEmpty()) {
            return contact;
        }
        var all = new HashMap<>(contact.attributes().values());
        all.putAll(opened);
        return new Contact(contact.id(), contact.primaryEmail(), new Attributes(all), contact.crmLinks(),
                contact.createdAt(), contact.updatedAt());
    }

    boolean exists(ContactId id) {
        return jdbc.sql("select count(*) from contact where id = ? and removed_at is null").param(id.value()).query(Long.class).single() > 0;
    }

    /** The contact holding this address, matched on its normalised form under every index key. */
    Optional<ContactId> findByEmail(EmailAddress email) {
        return jdbc.sql("select c.id from " + SqlArrays.KEYS + " join contact c on c.email_key = k.v")
                .param(emails.lookups(email.key()).toArray(String[]::new))
                .query((rs, n) -> new ContactId(rs.getObject(1, UUID.class)))
                .list().stream().findFirst();
    }

    /**
     * Many contacts, in the order of {@code ids}, with four statements in all (contacts, links,
     * sealed fields, and their keys) rather than three per contact: list pages stay cheap when
     * each contact's sensitive values have to be opened.
     */
    List<Contact> findAll(List<ContactId> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        var read = new ArrayList<Row>();
        var links = new HashMap<ContactId, List<CrmLink>>();
        for (List<String> part : SqlArrays.parts(ids.stream().map(id -> id.value().toString()).toList())) {
            String[] keys = part.toArray(String[]::new);
            read.addAll(jdbc.sql("select c.id, c.primary_email, c.attributes, c.created_at, c.updated_at from " + SqlArrays.KEYS
                            + " join contact c on c.id = cast(k.v as uuid) where c.removed_at is null")
                    .param(keys)
                    .query(this::contactRow)
                    .list());
            jdbc.sql("select l.contact_id, l.connector_id, l.external_id from " + SqlArrays.KEYS
                            + " join crm_link l on l.contact_id = cast(k.v as uuid) order by l.connector_id, l.external_id")
                    .param(keys)
                    .query((rs, n) -> links.computeIfAbsent(new ContactId(rs.getObject(1, UUID.class)), k -> new ArrayList<>())
                            .add(new CrmLink(rs.getString(2), rs.getString(3))))
                    .list();
        }
        var rows = new HashMap<ContactId, Contact>();
        opened(read).forEach(c -> rows.put(c.id(), c));
        Map<ContactId, Map<String, String>> opened = fields.read(rows.keySet());
        var found = new ArrayList<Contact>();
        for (ContactId id : ids) {
            Contact c = rows.get(id);
            if (c != null) {
                Contact full = withSensitive(c, opened.getOrDefault(id, Map.of()));
                found.add(new Contact(id, full.primaryEmail(), full.attributes(), links.getOrDefault(id, List.of()),
                        full.createdAt(), full.updatedAt()));
            }
        }
        return found;
    }

    private Contact withLinks(Contact contact) {
        List<CrmLink> links = jdbc.sql("select connector_id, external_id from crm_link where contact_id = ? order by connector_id, external_id")
                .param(contact.id().value())
                .query((rs, n) -> new CrmLink(rs.getString(1), rs.getString(2)))
                .list();
        return new Contact(contact.id(), contact.primaryEmail(), contact.attributes(), links,
                contact.createdAt(), contact.updatedAt());
    }

    /**
     * Erasure's last change to the contact row: the address becomes {@link #erasedEmail} (its
     * {@code email_key} unique to the id, so the real address is free and only the suppression list
     * remembers it), the attributes and sealed fields go, and so do its CRM links and page
     * language. The row itself stays, with its id, so the ledger's chain and the aggregate counts
     * still stand. Returns the rows changed or deleted.
     */
    int anonymise(ContactId id, Instant now) {
        int changed = jdbc.sql("update contact set primary_email = ?, email_key = ?, attributes = '{}', updated_at = ?,"
                        + " version = version + 1 where id = ?")
                .params(erasedEmail(id).value(), "erased:" + id.value(), utc(now), id.value()).update();
        changed += jdbc.sql("delete from contact_field where contact_id = ?").param(id.value()).update();
        changed += jdbc.sql("delete from crm_link where contact_id = ?").param(id.value()).update();
        changed += jdbc.sql("delete from contact_language where contact_id = ?").param(id.value()).update();
        return changed;
    }

    /**
     * A removal's last change: the row is anonymised and marked removed, so no read, list or
     * report finds it; only its id stays, for the ledger's events that reference it.
     */
    int remove(ContactId id, Instant now) {
        int changed = anonymise(id, now);
        return changed + jdbc.sql("update contact set removed_at = ? where id = ? and removed_at is null")
                .params(utc(now), id.value()).update();
    }

    /** A contact row as stored: the email in its stored form (plain or sealed). */
    private record Row(ContactId id, String email, Attributes attributes, Instant createdAt, Instant updatedAt) {
    }

    private Row contactRow(ResultSet rs, int rowNum) throws SQLException {
        return new Row(new ContactId(rs.getObject("id", UUID.class)), rs.getString("primary_email"),
                read(rs.getString("attributes")),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }

    /**
     * The contacts of these rows with their emails opened, in the rows' order. An email that does
     * not open (the contact's key was destroyed by erasure) reads as {@link #erasedEmail}: the
     * contact stays listable, and no mail can reach a person through it.
     */
    private List<Contact> opened(List<Row> rows) {
        var stored = new HashMap<ContactId, String>();
        rows.forEach(r -> stored.put(r.id(), r.email()));
        Map<ContactId, EmailAddress> open = emails.open(stored);
        return rows.stream().map(r -> new Contact(r.id(), open.getOrDefault(r.id(), erasedEmail(r.id())), r.attributes(),
                List.of(), r.createdAt(), r.updatedAt())).toList();
    }

    /** What an email that no key opens any more reads as: an address of the reserved {@code .invalid} domain. */
    static EmailAddress erasedEmail(ContactId id) {
        return new EmailAddress("erased." + id.value() + "@erased.invalid");
    }

    private String write(Map<String, String> attributes) {
        try {
            return json.writeValueAsString(new java.util.TreeMap<>(attributes));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("attributes could not be serialised", e);
        }
    }

    private Attributes read(String text) {
        try {
            return new Attributes(json.readValue(text, ATTRIBUTE_MAP));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored attributes are not valid JSON", e);
        }
    }

    /**
     * Moves sensitive values that sit in plaintext in the attributes JSON (written before the
     * field was declared sensitive) into {@code contact_field}, sealed: up to {@code limit}
     * candidate contacts after {@code after} per call, locked.
     */
    ContactDirectory.SealPass sealPlaintext(Set<String> sensitive, ContactId after, int limit, Instant now) {
        if (sensitive.isEmpty()) {
            return new ContactDirectory.SealPass(null, 0);
        }
        var where = new StringBuilder();
        var params = new ArrayList<Object>();
        for (String name : sensitive) {
            where.append(where.isEmpty() ? "" : " or ").append("attributes like ?");
            params.add("%\"" + name.replace("%", "\\%").replace("_", "\\_") + "\":%");
        }
        params.add(after == null ? new UUID(0L, 0L) : after.value());
        List<Row> found = jdbc.sql("select id, primary_email, attributes, created_at, updated_at from contact where ("
                        + where + ") and id > ? order by id fetch first " + limit + " rows only for update")
                .params(params)
                .query(this::contactRow)
                .list();
        int moved = 0;
        for (Row c : found) {
            var legacy = new ArrayList<FieldProtection.Plain>();
            Map<String, String> plain = fields.split(c.id(), c.attributes(), legacy);
            if (legacy.isEmpty()) {
                continue;
            }
            jdbc.sql("update contact set attributes = ? where id = ?").params(write(plain), c.id().value()).update();
            fields.write(legacy, now);
            moved++;
        }
        return new ContactDirectory.SealPass(found.isEmpty() ? null : found.get(found.size() - 1).id(), moved);
    }

    /**
     * Seals the emails still held in plain form (stored before the email was declared sensitive):
     * up to {@code limit} of them after {@code after}, locked. Only a plain {@code email_key} has an
     * '@' (a MAC is hex), so what is left to convert is found again after a restart. A contact whose
     * key was destroyed (erased) cannot be sealed: its address is replaced by {@link #erasedEmail}.
     */
    ContactDirectory.SealPass sealPlaintextEmails(ContactId after, int limit) {
        List<Row> found = new ArrayList<>();
        found.addAll(jdbc.sql("select id, primary_email, attributes, created_at, updated_at from contact"
                        + " where email_key like '%@%' and id > ? order by id fetch first " + limit + " rows only for update")
                .param(after == null ? new UUID(0L, 0L) : after.value())
                .query(this::contactRow)
                .list());
        var addresses = new HashMap<ContactId, EmailAddress>();
        var unreadable = new ArrayList<Row>();
        for (Row r : found) {
            try {
                addresses.put(r.id(), new EmailAddress(r.email()));
            } catch (io.consenthub.shared.InvalidInputException e) {
                // an address stored before today's rules: left as it is, named by id, the batch goes on
                unreadable.add(r);
                org.slf4j.LoggerFactory.getLogger(ContactStore.class)
                        .warn("Contact {}: its stored email no longer passes the address rules and was not sealed; fix it through the API", r.id());
            }
        }
        ContactId cursor = found.isEmpty() ? null : found.get(found.size() - 1).id();
        found.removeAll(unreadable);
        Map<ContactId, String> sealed = emails.seal(addresses);
        for (Row r : found) {
            String stored = sealed.get(r.id());
            EmailAddress email = stored == null ? erasedEmail(r.id()) : addresses.get(r.id());
            jdbc.sql("update contact set primary_email = ?, email_key = ? where id = ?")
                    .params(stored == null ? email.value() : stored, emails.index(email.key()), r.id().value())
                    .update();
        }
        return new ContactDirectory.SealPass(cursor, found.size());
    }

    /**
     * Seals a contact's email again under its current data key and recomputes its blind index
     * under the current index key (a rotation). Answers 1 when done, 0 when there is nothing to do
     * (plain email), -1 when the email does not open.
     */
    int resealEmail(ContactId id) {
        if (!emails.sealed()) {
            return 0;
        }
        Optional<Row> row = jdbc.sql("select id, primary_email, attributes, created_at, updated_at from contact where id = ? for update")
                .param(id.value()).query(this::contactRow).optional();
        if (row.isEmpty()) {
            return 0;
        }
        EmailAddress email = emails.open(Map.of(id, row.get().email())).get(id);
        String stored = email == null ? null : emails.seal(Map.of(id, email)).get(id);
        if (stored == null) {
            return -1;
        }
        jdbc.sql("update contact set primary_email = ?, email_key = ? where id = ?")
                .params(stored, emails.index(email.key()), id.value())
                .update();
        return 1;
    }

    static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
