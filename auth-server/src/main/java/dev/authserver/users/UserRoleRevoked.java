package dev.authserver.users;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A role was taken away from a user account.
 */
public record UserRoleRevoked(UUID userAccountId, String role, @Nullable String actor, Instant revokedAt) {
}
