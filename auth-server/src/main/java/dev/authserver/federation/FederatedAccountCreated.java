package dev.authserver.federation;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A new local account was created just in time for a person's first sign-in through a provider.
 */
public record FederatedAccountCreated(UUID userAccountId, String registrationId, String subject,
		@Nullable String remoteAddress, Instant createdAt) {
}
