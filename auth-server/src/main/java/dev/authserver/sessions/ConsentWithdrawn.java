package dev.authserver.sessions;

import java.time.Instant;
import java.util.UUID;

/**
 * A user withdrew the consent they had given to a client; the client's grants for that user are revoked with it.
 */
public record ConsentWithdrawn(UUID userAccountId, String registeredClientId, String clientId, Instant withdrawnAt) {
}
