package dev.authserver.users;

import java.time.Instant;
import java.util.UUID;

/**
 * A user account was disabled: it can no longer sign in, and its grants are revoked.
 */
public record UserAccountDisabled(UUID userAccountId, Instant disabledAt) {
}
