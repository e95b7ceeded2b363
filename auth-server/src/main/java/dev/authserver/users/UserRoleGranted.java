package dev.authserver.users;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A role was granted to a user account.
 */
public record UserRoleGranted(UUID userAccountId, String role, @Nullable String actor, Instant grantedAt) {
}
