package dev.authserver.demo.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.client.endpoint.OAuth2AccessTokenResponseClient;
import org.springframework.security.oauth2.client.endpoint.OAuth2RefreshTokenGrantRequest;
import org.springframework.security.oauth2.client.event.OAuth2AuthorizedClientRefreshedEvent;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2AccessTokenResponse;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.stereotype.Component;

/**
 * Runs a refresh_token grant (RFC 6749 §6) right now, even while the access token is still valid, so that the demo
 * can show rotation on demand.
 */
@Component
class TokenRefresher {

	private static final Logger logger = LoggerFactory.getLogger(TokenRefresher.class);

	private static final String INVALID_TOKEN_RESPONSE = "invalid_token_response";

	private final OAuth2AccessTokenResponseClient<OAuth2RefreshTokenGrantRequest> tokenResponseClient;

	private final OAuth2AuthorizedClientRepository authorizedClients;

	private final ApplicationEventPublisher eventPublisher;

	TokenRefresher(OAuth2AccessTokenResponseClient<OAuth2RefreshTokenGrantRequest> tokenResponseClient,
			OAuth2AuthorizedClientRepository authorizedClients, ApplicationEventPublisher eventPublisher) {
		this.tokenResponseClient = tokenResponseClient;
		this.authorizedClients = authorizedClients;
		this.eventPublisher = eventPublisher;
	}

	TokenRefreshResult refresh(OAuth2AuthenticationToken authentication, HttpServletRequest request,
			HttpServletResponse response) {
		String registrationId = authentication.getAuthorizedClientRegistrationId();
		OAuth2AuthorizedClient current = this.authorizedClients.loadAuthorizedClient(registrationId, authentication,
				request);
		if (current == null) {
			return new TokenRefreshResult.Failed("No tokens are held for this session. Sign out and sign in again.");
		}
		OAuth2RefreshToken refreshToken = current.getRefreshToken();
		if (refreshToken == null) {
			return new TokenRefreshResult.Failed("The authorization server issued no refresh token at sign-in, "
					+ "so there is nothing to refresh with.");
		}
		OAuth2AccessTokenResponse tokenResponse;
		try {
			tokenResponse = this.tokenResponseClient.getTokenResponse(new OAuth2RefreshTokenGrantRequest(
					current.getClientRegistration(), current.getAccessToken(), refreshToken));
		}
		catch (OAuth2AuthorizationException ex) {
			// The old tokens stay: the access token may still be good even when the grant was refused
			logger.warn("refresh_token grant for registration {} failed: {}", registrationId,
					ex.getError().getErrorCode());
			return new TokenRefreshResult.Failed("The tokens could not be refreshed: " + describe(ex.getError()));
		}
		// The response client already kept the old refresh token when the server did not rotate it
		OAuth2AuthorizedClient refreshed = new OAuth2AuthorizedClient(current.getClientRegistration(),
				current.getPrincipalName(), tokenResponse.getAccessToken(), tokenResponse.getRefreshToken());
		// Saved before the ID token is checked: a rotated refresh token is the only one that still works
		this.authorizedClients.saveAuthorizedClient(refreshed, authentication, request, response);
		try {
			// Spring Security's OIDC listener checks a new ID token (OIDC Core 1.0 §12.2) and updates the user
			this.eventPublisher.publishEvent(new OAuth2AuthorizedClientRefreshedEvent(tokenResponse, refreshed));
		}
		catch (OAuth2AuthenticationException ex) {
			logger.warn("ID token from refresh_token grant for registration {} rejected: {}", registrationId,
					ex.getError().getErrorCode());
			return new TokenRefreshResult.Failed(
					"The tokens were refreshed, but the new ID token was rejected: " + describe(ex.getError()));
		}
		boolean refreshTokenRotated = tokenResponse.getRefreshToken() != null
				&& !tokenResponse.getRefreshToken().getTokenValue().equals(refreshToken.getTokenValue());
		boolean idTokenRenewed = tokenResponse.getAdditionalParameters().get(OidcParameterNames.ID_TOKEN) != null;
		return new TokenRefreshResult.Refreshed(tokenResponse.getAccessToken().getExpiresAt(), refreshTokenRotated,
				idTokenRenewed);
	}

	private static String describe(OAuth2Error error) {
		if (INVALID_TOKEN_RESPONSE.equals(error.getErrorCode())) {
			// Spring puts the underlying exception's message here, which may quote the server's whole answer
			return "the token endpoint could not be reached or its answer could not be read ("
					+ INVALID_TOKEN_RESPONSE + ")";
		}
		String description = error.getDescription();
		return (description != null && !description.isBlank()) ? error.getErrorCode() + " (" + description + ")"
				: error.getErrorCode();
	}

}
