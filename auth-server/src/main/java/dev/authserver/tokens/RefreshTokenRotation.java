package dev.authserver.tokens;

import java.time.Clock;

import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2RefreshTokenAuthenticationProvider;
import org.springframework.stereotype.Component;

/**
 * Builds the token endpoint's providers for single-use codes and rotating refresh tokens: reuse detection of both,
 * and refresh tokens for public clients. For the security configuration.
 */
@Component
public class RefreshTokenRotation {

	private final OAuth2AuthorizationService authorizations;

	private final RefreshTokenReuseDetection reuseDetection;

	private final AuthorizationCodeRedemption codeRedemption;

	private final Clock clock;

	RefreshTokenRotation(OAuth2AuthorizationService authorizations, RefreshTokenReuseDetection reuseDetection,
			AuthorizationCodeRedemption codeRedemption, Clock clock) {
		this.authorizations = authorizations;
		this.reuseDetection = reuseDetection;
		this.codeRedemption = codeRedemption;
		this.clock = clock;
	}

	/**
	 * Wraps Spring's authorization code provider so that a code is redeemed once under its grant's lock (a code used
	 * twice revokes its grant), and public clients registered for it get refresh tokens.
	 */
	public AuthenticationProvider forCodeExchange(OAuth2AuthorizationCodeAuthenticationProvider provider) {
		AuthenticationProvider exchange = new PublicClientRefreshTokens(provider, this.authorizations, this.clock);
		return new AuthenticationProvider() {

			@Override
			public @Nullable Authentication authenticate(Authentication authentication) {
				return RefreshTokenRotation.this.codeRedemption.redeem(exchange, authentication);
			}

			@Override
			public boolean supports(Class<?> authentication) {
				return exchange.supports(authentication);
			}

		};
	}

	/** Wraps Spring's refresh token provider so that a refresh token used twice revokes its grant. */
	public AuthenticationProvider withReuseDetection(OAuth2RefreshTokenAuthenticationProvider provider) {
		return new AuthenticationProvider() {

			@Override
			public @Nullable Authentication authenticate(Authentication authentication) {
				return RefreshTokenRotation.this.reuseDetection.refresh(provider, authentication);
			}

			@Override
			public boolean supports(Class<?> authentication) {
				return provider.supports(authentication);
			}

		};
	}

}
