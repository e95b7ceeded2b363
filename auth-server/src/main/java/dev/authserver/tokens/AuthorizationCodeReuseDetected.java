package dev.authserver.tokens;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * An authorization code was presented a second time, so the grant it had been redeemed for was revoked.
 *
 * @param subject the user the grant was for (our account id)
 * @param remoteAddress where the second use came from
 */
public record AuthorizationCodeReuseDetected(String authorizationId, String clientId, String subject,
		@Nullable String remoteAddress, Instant detectedAt) {
}
