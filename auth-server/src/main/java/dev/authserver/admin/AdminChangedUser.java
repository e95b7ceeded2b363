package dev.authserver.admin;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * An admin enabled or disabled a user account from the console or the API.
 *
 * @param action {@code enabled} or {@code disabled}
 * @param actor the admin's account id, or {@code client:<client_id>}
 */
public record AdminChangedUser(UUID userAccountId, String action, String actor, @Nullable String remoteAddress,
		Instant occurredAt) {
}
