package io.consenthub.support;

import io.consenthub.consent.ActorKind;
import io.consenthub.consent.ConsentRecords;
import io.consenthub.consent.Evidence;
import io.consenthub.contact.Attributes;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.EmailAddress;
import io.consenthub.consent.optin.EmailOptIn;
import io.consenthub.consent.optin.EmailOptInStatus;
import io.consenthub.consent.optin.OptInAction;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Brings contacts into a given Email Opt-In Status the way it happens in the world — through the
 * real rules and ledger, each step by the actor allowed to take it.
 */
@Component
public class ContactFixtures {

    private final ContactDirectory contacts;
    private final EmailOptIn optIn;
    private final ConsentRecords consents;
    private final TransactionTemplate tx;

    ContactFixtures(ContactDirectory contacts, EmailOptIn optIn, ConsentRecords consents, TransactionTemplate tx) {
        this.contacts = contacts;
        this.optIn = optIn;
        this.consents = consents;
        this.tx = tx;
    }

    public static String uniqueEmail(String who) {
        return who + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
    }

    /** A new contact in {@code status}, subscribed to the given email lists. */
    public ContactId contact(String email, EmailOptInStatus status, String... lists) {
        return tx.execute(s -> {
            ContactId id = contacts.create(new EmailAddress(email), Attributes.empty(), List.of()).id();
            for (String list : lists) {
                consents.record(id, list, true, act(ActorKind.USER));
            }
            switch (status) {
                case NONE -> { }
                case SINGLE_OPT_IN_USER -> optIn.apply(id, OptInAction.SET_SINGLE_OPT_IN_USER, act(ActorKind.USER));
                case SINGLE_OPT_IN_WEBFORM -> optIn.apply(id, OptInAction.SUBMIT_WEB_FORM_OPT_IN, act(ActorKind.CONTACT));
                case DOUBLE_OPT_IN -> {
                    optIn.apply(id, OptInAction.SUBMIT_WEB_FORM_OPT_IN, act(ActorKind.CONTACT));
                    optIn.apply(id, OptInAction.CONFIRM_DOUBLE_OPT_IN, act(ActorKind.CONTACT));
                }
                case OPT_OUT_USER -> optIn.apply(id, OptInAction.SET_OPT_OUT_USER, act(ActorKind.USER));
                case OPT_OUT_CONTACT -> optIn.apply(id, OptInAction.OPT_OUT_BY_CONTACT, act(ActorKind.CONTACT));
            }
            return id;
        });
    }

    public void grant(ContactId id, String purpose, boolean granted) {
        tx.executeWithoutResult(s -> consents.record(id, purpose, granted, act(ActorKind.USER)));
    }

    /** The contact's own answer, as a confirmed preference-page change records it (field storage, say). */
    public void answerAsContact(ContactId id, String purpose, boolean granted) {
        tx.executeWithoutResult(s -> {
            contacts.lock(id);
            consents.record(id, purpose, granted, act(ActorKind.CONTACT));
        });
    }

    private static Evidence act(ActorKind actor) {
        return new Evidence(actor, "fixture", "test", Instant.now(), null, null, null, null);
    }
}
