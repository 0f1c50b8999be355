package io.consenthub.preference;

import io.consenthub.contact.ContactDataHolder;
import io.consenthub.contact.ContactId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Erasure of the preference page's records of the contact: change sets (with their form origins and IPs) and notices. */
@Component
class PreferenceErasure implements ContactDataHolder {

    private final JdbcClient jdbc;

    PreferenceErasure(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String name() {
        return "preference-page";
    }

    @Override
    public int erase(ContactId contact) {
        return jdbc.sql("delete from preference_change where contact_id = ?").param(contact.value()).update()
                + jdbc.sql("delete from preference_notice where contact_id = ?").param(contact.value()).update();
    }
}
