package io.consenthub.erasure;

import io.consenthub.contact.ContactDataSection;
import io.consenthub.contact.ContactId;
import org.springframework.stereotype.Component;

/** The contact's erasure job, if one was started (a list of none or one): its state and every finished step (the certificate once done). */
@Component
class ErasureSection implements ContactDataSection {

    private final ErasureJobs jobs;

    ErasureSection(ErasureJobs jobs) {
        this.jobs = jobs;
    }

    @Override
    public String name() {
        return "erasure";
    }

    @Override
    public Object export(ContactId contact) {
        return jobs.jobOf(contact).map(jobs::progress).stream().toList();
    }
}
