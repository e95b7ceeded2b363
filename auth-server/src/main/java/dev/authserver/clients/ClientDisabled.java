package dev.authserver.clients;

import java.time.Instant;

/**
 * A registered client was disabled: it can no longer authenticate or start authorizations, and its grants are
 * revoked.
 *
 * @param registeredClientId the registration's internal id (what authorizations refer to)
 */
public record ClientDisabled(String registeredClientId, String clientId, Instant disabledAt) {
}
