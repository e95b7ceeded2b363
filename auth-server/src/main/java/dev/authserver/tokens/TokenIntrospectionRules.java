package dev.authserver.tokens;

import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenIntrospection;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationToken;
import org.springframework.stereotype.Component;

/**
 * Wraps Spring's {@link OAuth2TokenIntrospectionAuthenticationProvider} so that introspection (RFC 7662) answers
 * {@code active: true} only for an access or refresh token issued to the client that asks. For the security
 * configuration.
 * <p>
 * Spring looks the value up among every token of its grants, so it also called an ID token or an authorization code
 * active, which invites a resource server to take an ID token for an access token (RFC 8725 §2.8); and it answers
 * any authenticated client about any token, which tells one client about another's users and grants (RFC 7662 §4:
 * the server decides which protected resources may introspect which tokens). Until resource servers are registered
 * on their own, a client introspects only its own tokens.
 */
@Component
public class TokenIntrospectionRules {

	private final OAuth2AuthorizationService authorizations;

	TokenIntrospectionRules(OAuth2AuthorizationService authorizations) {
		this.authorizations = authorizations;
	}

	/** Wraps Spring's introspection provider with the rules above. */
	public AuthenticationProvider withOwnTokensOnly(OAuth2TokenIntrospectionAuthenticationProvider provider) {
		return new AuthenticationProvider() {

			@Override
			public @Nullable Authentication authenticate(Authentication authentication) {
				OAuth2TokenIntrospectionAuthenticationToken request = (OAuth2TokenIntrospectionAuthenticationToken) authentication;
				if (!introspectable(request)) {
					// RFC 7662 §2.2: whatever the reason, the answer is only {"active":false}.
					return new OAuth2TokenIntrospectionAuthenticationToken(request.getToken(),
							(Authentication) request.getPrincipal(), OAuth2TokenIntrospection.builder().build());
				}
				return provider.authenticate(authentication);
			}

			@Override
			public boolean supports(Class<?> authentication) {
				return provider.supports(authentication);
			}

		};
	}

	// Unknown tokens pass on to Spring, which answers them inactive too.
	private boolean introspectable(OAuth2TokenIntrospectionAuthenticationToken request) {
		OAuth2Authorization authorization = this.authorizations.findByToken(request.getToken(), null);
		if (authorization == null) {
			return true;
		}
		OAuth2Authorization.Token<OAuth2Token> token = authorization.getToken(request.getToken());
		boolean accessOrRefresh = token != null && (token.getToken() instanceof OAuth2AccessToken
				|| token.getToken() instanceof OAuth2RefreshToken);
		return accessOrRefresh && request.getPrincipal() instanceof OAuth2ClientAuthenticationToken client
				&& client.getRegisteredClient() != null
				&& client.getRegisteredClient().getId().equals(authorization.getRegisteredClientId());
	}

}
