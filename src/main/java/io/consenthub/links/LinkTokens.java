package io.consenthub.links;

import io.consenthub.contact.ContactId;
import io.consenthub.contact.PrimaryEmailChanged;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Personal and confirmation link tokens (DESIGN §5): 256 random bits, stored only as SHA-256,
 * bound to one contact, one purpose and one reference, expiring, revocable, and single-use where
 * the purpose asks for it. An unknown, expired, used or revoked token all look the same to callers.
 */
@Service
public class LinkTokens {

    private static final Pattern TOKEN_SHAPE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private final SecureRandom random = new SecureRandom();
    private final JdbcClient jdbc;
    private final Clock clock;

    LinkTokens(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional
    public IssuedToken issue(TokenPurpose purpose, ContactId contact, String reference, Duration ttl) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        Instant expires = now.plus(ttl);
        jdbc.sql("insert into link_token (token_hash, purpose, contact_id, reference, created_at, expires_at) values (?, ?, ?, ?, ?, ?)")
                .params(hash(token), purpose.name(), contact.value(), reference, utc(now), utc(expires))
                .update();
        return new IssuedToken(token, expires);
    }

    /** The grant of a valid token, without using it up. */
    @Transactional(readOnly = true)
    public Optional<TokenGrant> peek(TokenPurpose purpose, String token) {
        return find(purpose, token, "");
    }

    /** Uses up a single-use token in the caller's transaction; empty if it is not (or no longer) valid. */
    @Transactional
    public Optional<TokenGrant> consume(TokenPurpose purpose, String token) {
        Optional<TokenGrant> grant = find(purpose, token, " for update");
        grant.ifPresent(g -> jdbc.sql("update link_token set used_at = ? where token_hash = ?")
                .params(utc(clock.instant()), hash(token))
                .update());
        return grant;
    }

    /** Revokes every still-valid token of one purpose for a contact, e.g. when a personal link leaked. */
    @Transactional
    public int revokeAll(ContactId contact, TokenPurpose purpose) {
        return jdbc.sql("update link_token set revoked_at = ? where contact_id = ? and purpose = ? and revoked_at is null and used_at is null")
                .params(utc(clock.instant()), contact.value(), purpose.name())
                .update();
    }

    /** Links mailed to an old address must not act for the contact's new one. */
    @EventListener
    void revokeOnEmailChange(PrimaryEmailChanged change) {
        jdbc.sql("update link_token set revoked_at = ? where contact_id = ? and revoked_at is null and used_at is null")
                .params(utc(clock.instant()), change.contactId().value())
                .update();
    }

    private Optional<TokenGrant> find(TokenPurpose purpose, String token, String lock) {
        if (token == null || !TOKEN_SHAPE.matcher(token).matches()) {
            return Optional.empty();
        }
        String hash = hash(token);
        return jdbc.sql("""
                select contact_id, reference, expires_at from link_token
                where token_hash = ? and purpose = ? and used_at is null and revoked_at is null and expires_at > ?""" + lock)
                .params(hash, purpose.name(), utc(clock.instant()))
                .query((rs, n) -> new TokenGrant(purpose, new ContactId(rs.getObject(1, UUID.class)), rs.getString(2),
                        rs.getObject(3, OffsetDateTime.class).toInstant(), "token:" + hash.substring(0, 16)))
                .optional();
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
