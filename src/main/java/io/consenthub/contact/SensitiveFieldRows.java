package io.consenthub.contact;

import io.consenthub.shared.SqlArrays;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * SQL of {@code contact_field}: the sealed sensitive attributes of contacts. Only ciphertext and
 * keyed MACs reach these statements; the plaintext is sealed and opened by {@link FieldProtection}.
 */
@Repository
class SensitiveFieldRows {

    private final JdbcClient jdbc;
    private final FieldProtection protection;

    SensitiveFieldRows(JdbcClient jdbc, FieldProtection protection) {
        this.jdbc = jdbc;
        this.protection = protection;
    }

    Set<String> sensitive() {
        return protection.sensitive();
    }

    /** Splits attributes into what goes into the JSON (returned) and the sensitive values (into {@code sensitive}). */
    Map<String, String> split(ContactId id, Attributes attributes, List<FieldProtection.Plain> sensitive) {
        var plain = new HashMap<String, String>();
        Set<String> names = protection.sensitive();
        attributes.values().forEach((name, value) -> {
            if (names.contains(name)) {
                sensitive.add(new FieldProtection.Plain(id, name, value));
            } else {
                plain.put(name, value);
            }
        });
        return plain;
    }

    /** Seals and writes (insert or replace) these values. */
    void write(List<FieldProtection.Plain> values, Instant now) {
        if (values.isEmpty()) {
            return;
        }
        List<FieldProtection.Sealed> sealed = protection.seal(values);
        for (var part : SqlArrays.parts(sealed)) {
            String[] contacts = part.stream().map(s -> s.contact().value().toString()).toArray(String[]::new);
            String[] fields = part.stream().map(FieldProtection.Sealed::field).toArray(String[]::new);
            delete(contacts, fields);
            jdbc.sql("""
                    insert into contact_field (contact_id, field, ciphertext, exposed_index, sealed_at)
                    select cast(r.contact_id as uuid), r.field, r.ciphertext, r.exposed_index,
                           cast(? as timestamp with time zone)
                      from unnest(cast(? as varchar array), cast(? as varchar array), cast(? as varchar array),
                                  cast(? as varchar array))
                           r(contact_id, field, ciphertext, exposed_index)""")
                    .params(SqlArrays.timestamp(now), contacts, fields,
                            part.stream().map(FieldProtection.Sealed::ciphertext).toArray(String[]::new),
                            part.stream().map(FieldProtection.Sealed::exposedIndex).toArray(String[]::new))
                    .update();
        }
    }

    /** The fields of one contact that are sealed in {@code contact_field} (no value is opened). */
    Set<String> sealedFields(ContactId id) {
        return new HashSet<>(jdbc.sql("select field from contact_field where contact_id = ?").param(id.value()).query(String.class).list());
    }

    /** Removes these fields of one contact. */
    void remove(ContactId id, Collection<String> fields) {
        if (!fields.isEmpty()) {
            delete(fields.stream().map(f -> id.value().toString()).toArray(String[]::new), fields.toArray(String[]::new));
        }
    }

    private void delete(String[] contacts, String[] fields) {
        jdbc.sql("""
                delete from contact_field where (contact_id, field) in
                  (select cast(r.contact_id as uuid), r.field from unnest(cast(? as varchar array), cast(? as varchar array)) r(contact_id, field))""")
                .params(contacts, fields)
                .update();
    }

    /** The opened sensitive values of these contacts, by contact and field. */
    Map<ContactId, Map<String, String>> read(Collection<ContactId> ids) {
        var stored = new ArrayList<FieldProtection.Stored>();
        for (var part : SqlArrays.parts(new HashSet<>(ids))) {
            jdbc.sql("select f.contact_id, f.field, f.ciphertext from " + SqlArrays.KEYS
                            + " join contact_field f on f.contact_id = cast(k.v as uuid)")
                    .param(part.stream().map(c -> c.value().toString()).toArray(String[]::new))
                    .query((rs, n) -> stored.add(new FieldProtection.Stored(new ContactId(rs.getObject(1, UUID.class)),
                            rs.getString(2), rs.getString(3))))
                    .list();
        }
        return stored.isEmpty() ? Map.of() : protection.open(stored);
    }

    /**
     * Seals a contact's sensitive values again, under its current primary data key and index key
     * (a rotation). Values that do not open are left as they are and counted.
     */
    ContactDirectory.Reseal reseal(ContactId id, Instant now) {
        long stored = jdbc.sql("select count(*) from contact_field where contact_id = ?").param(id.value()).query(Long.class).single();
        Map<String, String> opened = read(List.of(id)).getOrDefault(id, Map.of());
        var values = new ArrayList<FieldProtection.Plain>();
        opened.forEach((field, value) -> values.add(new FieldProtection.Plain(id, field, value)));
        write(values, now);
        return new ContactDirectory.Reseal(values.size(), (int) stored - values.size());
    }

    static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
