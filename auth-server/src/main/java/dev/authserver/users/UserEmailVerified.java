package dev.authserver.users;

import java.time.Instant;
import java.util.UUID;

/**
 * A person proved they own their account's email address by following the link we mailed.
 */
public record UserEmailVerified(UUID userAccountId, Instant verifiedAt) {
}
