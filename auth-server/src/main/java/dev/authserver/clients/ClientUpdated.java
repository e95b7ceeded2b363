package dev.authserver.clients;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * An admin updated a client's registration.
 *
 * @param actor who did it: an account id or {@code client:<client_id>}
 * @param remoteAddress where the request came from, if known
 */
public record ClientUpdated(String clientId, String actor, @Nullable String remoteAddress, Instant occurredAt) {
}
