package io.consenthub.webform;

import io.consenthub.consent.ActorKind;
import io.consenthub.consent.ConsentRecords;
import io.consenthub.consent.Evidence;
import io.consenthub.consent.GlobalPrivacyControl;
import io.consenthub.consent.PurposeCatalog;
import io.consenthub.consent.PurposeKind;
import io.consenthub.preference.PendingChanges;
import io.consenthub.contact.Attributes;
import io.consenthub.decision.ConsentDecisions;
import io.consenthub.contact.ContactDirectory;
import io.consenthub.contact.ContactId;
import io.consenthub.contact.EmailAddress;
import io.consenthub.email.DoubleOptInRequests;
import io.consenthub.consent.optin.EmailOptIn;
import io.consenthub.consent.optin.OptInAction;
import io.consenthub.shared.InvalidInputException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Takes a web-form submission. For a new address it is the contact's own act: the contact is
 * created, the marketing opt-in (SINGLE_OPT_IN_WEBFORM) and any consents ticked on the form are
 * recorded, and a marketing opt-in also sends the double-opt-in email (subject to the 24-hour rule).
 * Anyone can post a form in someone else's name, so for a known contact nothing changes: the
 * opt-in and the consents wait as a change set confirmed from the address on record, and the
 * form never overwrites the contact's data.
 *
 * <p>A submission carrying Global Privacy Control is the exception: it only takes sharing away, so
 * for a known contact every partner-sharing consent is revoked at once, and for anyone a box on the
 * form granting a partner-sharing consent is answered "no", the signal named in the evidence.
 */
@Service
class WebFormIntake {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(WebFormIntake.class);

    private static final java.util.Set<PurposeKind> FORM_KINDS = java.util.EnumSet.of(PurposeKind.EMAIL_LIST,
            PurposeKind.TRACKING, PurposeKind.CUSTOM);
    private static final Pattern FORM_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private final ContactDirectory contacts;
    private final EmailOptIn optIn;
    private final ConsentRecords consents;
    private final DoubleOptInRequests doubleOptIn;
    private final PendingChanges pendingChanges;
    private final PurposeCatalog catalog;
    private final Clock clock;
    private final ConsentDecisions decisions;
    private final GlobalPrivacyControl gpc;

    WebFormIntake(ContactDirectory contacts, EmailOptIn optIn, ConsentRecords consents, DoubleOptInRequests doubleOptIn,
                  PendingChanges pendingChanges, PurposeCatalog catalog, Clock clock, ConsentDecisions decisions,
                  GlobalPrivacyControl gpc) {
        this.decisions = decisions;
        this.gpc = gpc;
        this.pendingChanges = pendingChanges;
        this.catalog = catalog;
        this.contacts = contacts;
        this.doubleOptIn = doubleOptIn;
        this.optIn = optIn;
        this.consents = consents;
        this.clock = clock;
    }

    /** Returns the submission id, the proof id under which its events are recorded. */
    @Transactional
    public String submit(WebFormSubmission form, boolean globalPrivacyControl) {
        if (form.formId() == null || !FORM_ID.matcher(form.formId()).matches()) {
            throw new InvalidInputException("'formId' is required: letters, digits, '_', '.' or '-', at most 64 characters");
        }
        var email = new EmailAddress(form.email());
        var attributes = new Attributes(form.attributes());
        Map<String, Boolean> answers = form.consents() == null ? Map.of() : form.consents();
        answers.forEach((purpose, granted) -> {
            if (granted == null) {
                throw new InvalidInputException("consent '" + purpose + "' must be true or false");
            }
        });
        String submissionId = UUID.randomUUID().toString();
        var evidence = new Evidence(ActorKind.CONTACT, "web-form:" + form.formId(), "web-form", clock.instant(),
                form.ip(), form.userAgent(), submissionId, null);
        answers.keySet().forEach(WebFormIntake.this::requireFormAnswerable);
        if (globalPrivacyControl) {
            answers = withoutPartnerSharingGrants(answers);
        }
        var known = contacts.findByEmail(email);
        if (known.isPresent()) {
            contacts.lock(known.get());
            if (globalPrivacyControl) {
                gpc.honour(known.get(), evidence);
                answers = withoutPartnerSharing(answers);
            }
            pendingChanges.proposeAnswers(known.get(), Boolean.TRUE.equals(form.marketingOptIn()), answers,
                    new Evidence.Origin(evidence.channel(), evidence.actorId(), submissionId, form.ip(), form.userAgent()));
            return submissionId;
        }
        // An erased person who submits a form of their own comes back: the suppression is lifted, and
        // the lifting recorded on its row (by which form); no sync or import can do this.
        boolean returned = contacts.liftSuppression(email, "web-form:" + form.formId());
        ContactId id = contacts.create(email, new Attributes(decisions.storableForNew(attributes.values())), List.of()).id();
        if (returned) {
            log.info("web form {}: an erased person came back as contact {}; their suppression is lifted", form.formId(), id);
        }
        contacts.lock(id);
        if (Boolean.TRUE.equals(form.marketingOptIn())) {
            optIn.apply(id, OptInAction.SUBMIT_WEB_FORM_OPT_IN, evidence);
            doubleOptIn.requestIfAllowed(id, new Evidence(ActorKind.SYSTEM, "web-form:" + form.formId(), "web-form",
                    evidence.occurredAt(), null, null, submissionId, "double opt-in after a web-form opt-in"));
        }
        answers.forEach((purpose, granted) -> consents.record(id, purpose, granted,
                globalPrivacyControl && gpc.covers(purpose) ? evidence.withNote(GlobalPrivacyControl.NOTE) : evidence));
        if (globalPrivacyControl) {
            gpc.honour(id, evidence);
        }
        return submissionId;
    }

    /** The signal answers every partner-sharing box "no", whatever the form said. */
    private Map<String, Boolean> withoutPartnerSharingGrants(Map<String, Boolean> answers) {
        var result = new LinkedHashMap<String, Boolean>();
        answers.forEach((purpose, granted) -> result.put(purpose, granted && !gpc.covers(purpose)));
        return result;
    }

    /** For a known contact the signal has revoked partner sharing already; nothing about it waits for confirmation. */
    private Map<String, Boolean> withoutPartnerSharing(Map<String, Boolean> answers) {
        var result = new LinkedHashMap<String, Boolean>();
        answers.forEach((purpose, granted) -> {
            if (!gpc.covers(purpose)) {
                result.put(purpose, granted);
            }
        });
        return result;
    }

    /** Storage, stop-processing and erasure answers have effects beyond the ledger: only the confirmed preference page sets them. */
    private void requireFormAnswerable(String purposeId) {
        var purpose = catalog.require(purposeId);
        if (!FORM_KINDS.contains(purpose.kind())) {
            throw new InvalidInputException("consent '" + purposeId + "' cannot be answered on a web form; the contact sets it on the preference page");
        }
    }
}
