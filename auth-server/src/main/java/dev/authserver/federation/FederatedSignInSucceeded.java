package dev.authserver.federation;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A person signed in through a provider as a local account.
 */
public record FederatedSignInSucceeded(UUID userAccountId, String registrationId, String subject,
		@Nullable String remoteAddress, Instant signedInAt) {
}
