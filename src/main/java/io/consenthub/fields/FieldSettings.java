package io.consenthub.fields;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.util.List;

/**
 * The sensitive attributes, from {@code config/fields.yaml}. Each is stored encrypted, shown only
 * masked, found only by its exposed characters (when {@code searchable}) and revealed only to API
 * keys that name it in their {@code reveal} list. {@code encrypted} exists so that turning it off
 * can be refused with a message: a field once encrypted stays encrypted.
 */
@ConfigurationProperties("consent-hub.fields")
public record FieldSettings(List<Field> sensitive, Email email) {

    public FieldSettings {
        sensitive = sensitive == null ? List.of() : List.copyOf(sensitive);
        email = email == null ? new Email(null) : email;
    }

    /**
     * Whether the primary email is itself sensitive: stored encrypted, matched through a keyed
     * blind index. Off by default; once on, turning it off is refused at start-up.
     */
    public record Email(Boolean sensitive) {

        public Email {
            sensitive = sensitive != null && sensitive;
        }
    }

    /** One sensitive attribute. */
    public record Field(String name, String mask, Boolean searchable, Boolean encrypted) {

        public Field {
            searchable = searchable != null && searchable;
            encrypted = encrypted == null || encrypted;
        }
    }
}
