package dev.authserver.users;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A password reset link was mailed to an account's address (requests for unknown addresses publish nothing).
 */
public record PasswordResetRequested(UUID userAccountId, @Nullable String remoteAddress, Instant requestedAt) {
}
