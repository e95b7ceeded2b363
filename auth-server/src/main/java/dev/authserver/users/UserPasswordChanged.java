package dev.authserver.users;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A user account's password was set or changed (by its owner, by a reset link, or by an admin). Every session and
 * refresh token of the account ends, except the session that made the change when {@code keepSessionId} names it.
 *
 * @param reason {@code changed}, {@code reset} or {@code admin}
 * @param keepSessionId the HTTP session that made the change, which stays signed in; {@code null} ends them all
 */
public record UserPasswordChanged(UUID userAccountId, String reason, @Nullable String keepSessionId,
		Instant changedAt) {
}
