package dev.authserver.demo.web;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * How a forced token refresh went.
 */
sealed interface TokenRefreshResult {

	/**
	 * The refresh_token grant succeeded and the new tokens are saved.
	 *
	 * @param accessTokenExpiresAt when the new access token expires, if the server said
	 * @param refreshTokenRotated whether the server issued a new refresh token
	 * @param idTokenRenewed whether the server issued a new ID token
	 */
	record Refreshed(@Nullable Instant accessTokenExpiresAt, boolean refreshTokenRotated,
			boolean idTokenRenewed) implements TokenRefreshResult {
	}

	/**
	 * The refresh did not happen, or its result was rejected.
	 *
	 * @param reason what went wrong, for people
	 */
	record Failed(String reason) implements TokenRefreshResult {
	}

}
