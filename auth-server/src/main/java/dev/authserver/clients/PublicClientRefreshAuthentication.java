package dev.authserver.clients;

import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Client authentication {@code none} for the {@code refresh_token} grant of a public client (a SPA or native app),
 * which Spring only accepts for the authorization code grant with a {@code code_verifier}.
 * <p>
 * CAUTION: a public client's refresh token is a bearer credential nobody can bind to a secret. It is offered only
 * to public clients registered for the {@code refresh_token} grant, and those tokens rotate on every use with reuse
 * detection (RFC 9700 §4.14.2), so a stolen one is caught the first time both parties use it.
 */
public final class PublicClientRefreshAuthentication {

	private static final String TOKEN_ENDPOINT = "/oauth2/token";

	private PublicClientRefreshAuthentication() {
	}

	/** Reads {@code grant_type=refresh_token} requests that carry a {@code client_id} and no other credential. */
	public static AuthenticationConverter converter() {
		return (HttpServletRequest request) -> {
			// The token endpoint only: introspection and revocation need an authenticated confidential client.
			if (!HttpMethod.POST.matches(request.getMethod()) || !TOKEN_ENDPOINT.equals(request.getServletPath())
					|| !AuthorizationGrantType.REFRESH_TOKEN.getValue()
						.equals(request.getParameter(OAuth2ParameterNames.GRANT_TYPE))
					|| request.getHeader(HttpHeaders.AUTHORIZATION) != null
					|| request.getParameter(OAuth2ParameterNames.CLIENT_SECRET) != null
					|| request.getParameter(OAuth2ParameterNames.CLIENT_ASSERTION) != null) {
				return null;
			}
			String[] clientIds = request.getParameterValues(OAuth2ParameterNames.CLIENT_ID);
			if (clientIds == null) {
				return null;
			}
			if (clientIds.length != 1 || clientIds[0].isEmpty()) {
				throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_REQUEST);
			}
			return new OAuth2ClientAuthenticationToken(clientIds[0], ClientAuthenticationMethod.NONE, null,
					Map.of(OAuth2ParameterNames.GRANT_TYPE, AuthorizationGrantType.REFRESH_TOKEN.getValue()));
		};
	}

	/** Authenticates such a request when the client is public and registered for the refresh token grant. */
	public static AuthenticationProvider provider(RegisteredClientRepository clients) {
		return new AuthenticationProvider() {

			@Override
			public @Nullable Authentication authenticate(Authentication authentication) {
				OAuth2ClientAuthenticationToken request = (OAuth2ClientAuthenticationToken) authentication;
				if (!ClientAuthenticationMethod.NONE.equals(request.getClientAuthenticationMethod())
						|| !AuthorizationGrantType.REFRESH_TOKEN.getValue()
							.equals(request.getAdditionalParameters().get(OAuth2ParameterNames.GRANT_TYPE))) {
					return null;
				}
				RegisteredClient client = clients.findByClientId((String) request.getPrincipal());
				if (client == null
						|| !client.getClientAuthenticationMethods().equals(Set.of(ClientAuthenticationMethod.NONE))
						|| !client.getAuthorizationGrantTypes().contains(AuthorizationGrantType.REFRESH_TOKEN)) {
					throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
				}
				return new OAuth2ClientAuthenticationToken(client, ClientAuthenticationMethod.NONE, null);
			}

			@Override
			public boolean supports(Class<?> authentication) {
				return OAuth2ClientAuthenticationToken.class.isAssignableFrom(authentication);
			}

		};
	}

}
