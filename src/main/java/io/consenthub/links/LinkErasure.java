package io.consenthub.links;

import io.consenthub.contact.ContactDataHolder;
import io.consenthub.contact.ContactId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Erasure of the contact's mailed links (preference, confirmation, unsubscribe): every token row goes, used or not. */
@Component
class LinkErasure implements ContactDataHolder {

    private final JdbcClient jdbc;

    LinkErasure(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public String name() {
        return "links";
    }

    @Override
    public int erase(ContactId contact) {
        return jdbc.sql("delete from link_token where contact_id = ?").param(contact.value()).update();
    }
}
