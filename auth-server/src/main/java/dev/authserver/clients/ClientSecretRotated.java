package dev.authserver.clients;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * An admin gave a client a new secret. Carries no secret.
 *
 * @param previousValidUntil until when the previous secret still works, or {@code null} if it stopped at once
 * @param actor who did it: an account id or {@code client:<client_id>}
 */
public record ClientSecretRotated(String clientId, @Nullable Instant previousValidUntil, String actor,
		@Nullable String remoteAddress, Instant occurredAt) {
}
