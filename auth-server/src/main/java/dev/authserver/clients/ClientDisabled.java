package dev.authserver.clients;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A registered client was disabled: it can no longer authenticate or start authorizations, and its grants are
 * revoked.
 *
 * @param registeredClientId the registration's internal id (what authorizations refer to)
 * @param actor who did it (an account id or {@code client:<client_id>}), {@code null} for the system
 * @param remoteAddress where the request came from, if known
 */
public record ClientDisabled(String registeredClientId, String clientId, Instant disabledAt, @Nullable String actor,
		@Nullable String remoteAddress) {

	public ClientDisabled(String registeredClientId, String clientId, Instant disabledAt) {
		this(registeredClientId, clientId, disabledAt, null, null);
	}

}
