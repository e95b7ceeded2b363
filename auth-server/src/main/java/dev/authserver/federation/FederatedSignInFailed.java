package dev.authserver.federation;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A sign-in through a provider failed before we knew who the person was: cancelled, wrong state, provider down, slow
 * or answering garbage, an ID token that did not validate.
 *
 * @param error the OAuth 2.0 error code (never a provider's free-text description)
 */
public record FederatedSignInFailed(@Nullable String registrationId, String error, @Nullable String remoteAddress,
		Instant failedAt) {
}
