package dev.authserver.sessions;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A person was signed out at a client's request (OpenID Connect RP-Initiated Logout 1.0).
 *
 * @param subject the signed-out person's account id
 * @param clientId the client that asked, when known (from the {@code id_token_hint} or {@code client_id})
 * @param withIdTokenHint whether the request carried an {@code id_token_hint}; without one the person confirmed
 */
public record SignedOut(String subject, @Nullable String clientId, boolean withIdTokenHint,
		@Nullable String remoteAddress, Instant signedOutAt) {
}
