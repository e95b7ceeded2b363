package dev.authserver.tokens;

import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.crypto.keygen.Base64StringKeyGenerator;
import org.springframework.security.crypto.keygen.StringKeyGenerator;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * An {@link AuthenticationProvider} around Spring's {@link OAuth2AuthorizationCodeAuthenticationProvider} that gives
 * a public client (a SPA or native app) a refresh token with its code exchange when its registration includes the
 * refresh token grant. Spring never does; its refresh grant then rotates the token like any other.
 * <p>
 * CAUTION: a public client's refresh token cannot be bound to a secret. It is safe only because every refresh token
 * rotates on use and a reused one revokes the grant (RFC 9700 §4.14.2), see {@link RefreshTokenReuseDetection}.
 */
final class PublicClientRefreshTokens implements AuthenticationProvider {

	private final StringKeyGenerator tokens = new Base64StringKeyGenerator(Base64.getUrlEncoder().withoutPadding(),
			96);

	private final AuthenticationProvider delegate;

	private final OAuth2AuthorizationService authorizations;

	private final Clock clock;

	PublicClientRefreshTokens(AuthenticationProvider delegate, OAuth2AuthorizationService authorizations,
			Clock clock) {
		this.delegate = delegate;
		this.authorizations = authorizations;
		this.clock = clock;
	}

	@Override
	public @Nullable Authentication authenticate(Authentication authentication) {
		Authentication result = this.delegate.authenticate(authentication);
		if (!(result instanceof OAuth2AccessTokenAuthenticationToken issued) || issued.getRefreshToken() != null
				|| !(issued.getPrincipal() instanceof OAuth2ClientAuthenticationToken client)
				|| !ClientAuthenticationMethod.NONE.equals(client.getClientAuthenticationMethod())) {
			return result;
		}
		RegisteredClient registeredClient = issued.getRegisteredClient();
		// Only a purely public client: one that also has a secret must use it.
		if (!registeredClient.getClientAuthenticationMethods().equals(Set.of(ClientAuthenticationMethod.NONE))
				|| !registeredClient.getAuthorizationGrantTypes().contains(AuthorizationGrantType.REFRESH_TOKEN)) {
			return result;
		}
		OAuth2Authorization authorization = this.authorizations.findByToken(issued.getAccessToken().getTokenValue(),
				OAuth2TokenType.ACCESS_TOKEN);
		if (authorization == null) {
			return result;
		}
		Instant now = this.clock.instant();
		OAuth2RefreshToken refreshToken = new OAuth2RefreshToken(this.tokens.generateKey(), now,
				now.plus(registeredClient.getTokenSettings().getRefreshTokenTimeToLive()));
		this.authorizations.save(OAuth2Authorization.from(authorization).refreshToken(refreshToken).build());
		return new OAuth2AccessTokenAuthenticationToken(registeredClient, client, issued.getAccessToken(), refreshToken,
				issued.getAdditionalParameters());
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return this.delegate.supports(authentication);
	}

}
