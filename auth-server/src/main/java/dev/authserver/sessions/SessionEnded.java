package dev.authserver.sessions;

import java.time.Instant;
import java.util.UUID;

/**
 * A signed-in session of a user account was ended before it expired.
 *
 * @param reason {@code ended_by_user} (from the sessions page) or {@code password_changed}
 */
public record SessionEnded(UUID userAccountId, String reason, Instant endedAt) {
}
