package io.consenthub.fields;

import java.util.Set;

/**
 * Who may see a sensitive value in plaintext, in one place. The checks run in this order, so an
 * answer tells a caller nothing it may not know: a key without the field's permission learns only
 * that (403), not whether the contact has a value.
 *
 * <ol>
 *   <li>Only a sensitive field is revealed (others are shown in full anyway): 400 {@code not-a-sensitive-field}.</li>
 *   <li>The key must name the field in its {@code reveal} list; no role reveals on its own, ADMIN
 *       neither: 403 {@code no-reveal-permission}.</li>
 *   <li>A reason is required, 3 to 500 characters after trimming, so the log says why:
 *       400 {@code reason-required} / {@code reason-too-long}.</li>
 *   <li>The contact must hold a readable value: 404 {@code no-value} (never stored, removed, or
 *       its key destroyed by erasure).</li>
 * </ol>
 * Every outcome, allowed or not, is written to the field access log.
 */
public final class RevealRules {

    public static final int MIN_REASON = 3;
    public static final int MAX_REASON = 500;

    private RevealRules() {
    }

    /** The outcome: {@code status} is the HTTP status the API answers with. */
    public record Verdict(boolean allowed, String rule, int status, String message) {
        static Verdict refuse(String rule, int status, String message) {
            return new Verdict(false, rule, status, message);
        }
    }

    public static Verdict decide(String field, boolean sensitive, Set<String> keyMayReveal, String reason, boolean hasValue) {
        if (!sensitive) {
            return Verdict.refuse("not-a-sensitive-field", 400, "'" + field + "' is not a sensitive field: it is shown in full where it is shown at all");
        }
        if (keyMayReveal == null || !keyMayReveal.contains(field)) {
            return Verdict.refuse("no-reveal-permission", 403, "this API key may not reveal '" + field
                    + "' (its reveal list in the API key config does not name it); the attempt is logged");
        }
        String trimmed = reason == null ? "" : reason.strip();
        if (trimmed.length() < MIN_REASON) {
            return Verdict.refuse("reason-required", 400, "a reason of at least " + MIN_REASON
                    + " characters is required to reveal a sensitive value; it goes to the access log");
        }
        if (trimmed.length() > MAX_REASON) {
            return Verdict.refuse("reason-too-long", 400, "the reason may be at most " + MAX_REASON + " characters");
        }
        if (!hasValue) {
            return Verdict.refuse("no-value", 404, "the contact holds no readable value of '" + field + "'");
        }
        return new Verdict(true, "revealed", 200, "revealed");
    }
}
