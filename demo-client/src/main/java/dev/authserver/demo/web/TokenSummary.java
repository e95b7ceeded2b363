package dev.authserver.demo.web;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.core.OAuth2AccessToken;

/**
 * What the profile page may say about the tokens held for this session: never a token value in full.
 *
 * @param accessTokenPreview the access token's first characters followed by an ellipsis
 * @param issuedAt when the access token was issued, if known
 * @param expiresAt when the access token expires, if known
 * @param expiresIn how long until (or since) it expires, if known
 * @param expired whether the access token has expired
 * @param scopes the scopes granted
 * @param refreshTokenPresent whether a refresh token is held
 */
record TokenSummary(String accessTokenPreview, @Nullable String issuedAt, @Nullable String expiresAt,
		@Nullable String expiresIn, boolean expired, List<String> scopes, boolean refreshTokenPresent) {

	private static final int PREVIEW_LENGTH = 8;

	static TokenSummary of(OAuth2AuthorizedClient authorizedClient, Instant now) {
		OAuth2AccessToken accessToken = authorizedClient.getAccessToken();
		Instant issuedAt = accessToken.getIssuedAt();
		Instant expiresAt = accessToken.getExpiresAt();
		return new TokenSummary(preview(accessToken.getTokenValue()),
				(issuedAt != null) ? Times.format(issuedAt) : null,
				(expiresAt != null) ? Times.format(expiresAt) : null,
				(expiresAt != null) ? Times.relative(expiresAt, now) : null,
				expiresAt != null && !expiresAt.isAfter(now), accessToken.getScopes().stream().sorted().toList(),
				authorizedClient.getRefreshToken() != null);
	}

	// A token is a bearer credential: show just enough to tell two apart, and nothing of a short one
	static String preview(String tokenValue) {
		if (tokenValue.length() <= PREVIEW_LENGTH) {
			return "\u2026";
		}
		return tokenValue.substring(0, PREVIEW_LENGTH) + "\u2026";
	}

}
