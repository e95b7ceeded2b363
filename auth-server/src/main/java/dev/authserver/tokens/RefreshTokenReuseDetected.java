package dev.authserver.tokens;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A refresh token was presented a second time, so its whole grant was revoked.
 *
 * @param subject the user the grant was for (our account id), or the client for a client's own grant
 * @param remoteAddress where the second use came from
 */
public record RefreshTokenReuseDetected(String authorizationId, String clientId, String subject,
		@Nullable String remoteAddress, Instant detectedAt) {
}
