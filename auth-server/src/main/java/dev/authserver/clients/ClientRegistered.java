package dev.authserver.clients;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * An admin registered a client.
 *
 * @param actor who did it: an account id or {@code client:<client_id>}
 * @param remoteAddress where the request came from, if known
 */
public record ClientRegistered(String clientId, String actor, @Nullable String remoteAddress, Instant occurredAt) {
}
