package io.consenthub.access;

import io.consenthub.contact.ContactDataSection;
import io.consenthub.contact.ContactId;
import org.springframework.stereotype.Component;

/** The contact's access exports themselves — who asked, through which channel, masked or not, when delivered — this one included. */
@Component
class AccessExportSection implements ContactDataSection {

    private final AccessExportStore store;

    AccessExportSection(AccessExportStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "access-exports";
    }

    @Override
    public Object export(ContactId contact) {
        return store.ofContact(contact);
    }
}
