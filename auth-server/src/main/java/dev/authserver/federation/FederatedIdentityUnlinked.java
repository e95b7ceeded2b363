package dev.authserver.federation;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A person disconnected a provider identity from their account.
 */
public record FederatedIdentityUnlinked(UUID userAccountId, String registrationId, String subject,
		@Nullable String remoteAddress, Instant unlinkedAt) {
}
