package dev.authserver.demo.security;

import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.util.Assert;

/**
 * An {@link OAuth2AuthorizationRequestResolver} that passes a known {@code idp_hint} request parameter on to the
 * authorization server, so that "Sign in with GitHub/Google" skips the server's own choice of identity provider.
 */
final class IdpHintOAuth2AuthorizationRequestResolver implements OAuth2AuthorizationRequestResolver {

	static final String IDP_HINT = "idp_hint";

	// An allow-list: whatever else arrives in the query string must not reach the authorization server
	private static final Set<String> IDP_HINTS = Set.of("github", "google");

	private final OAuth2AuthorizationRequestResolver delegate;

	IdpHintOAuth2AuthorizationRequestResolver(ClientRegistrationRepository clientRegistrations) {
		Assert.notNull(clientRegistrations, "clientRegistrations cannot be null");
		this.delegate = new DefaultOAuth2AuthorizationRequestResolver(clientRegistrations,
				OAuth2AuthorizationRequestRedirectFilter.DEFAULT_AUTHORIZATION_REQUEST_BASE_URI);
	}

	@Override
	public @Nullable OAuth2AuthorizationRequest resolve(HttpServletRequest request) {
		return withIdpHint(request, this.delegate.resolve(request));
	}

	@Override
	public @Nullable OAuth2AuthorizationRequest resolve(HttpServletRequest request, String clientRegistrationId) {
		return withIdpHint(request, this.delegate.resolve(request, clientRegistrationId));
	}

	private static @Nullable OAuth2AuthorizationRequest withIdpHint(HttpServletRequest request,
			@Nullable OAuth2AuthorizationRequest authorizationRequest) {
		String idpHint = request.getParameter(IDP_HINT);
		if (authorizationRequest == null || idpHint == null || !IDP_HINTS.contains(idpHint)) {
			return authorizationRequest;
		}
		// from() keeps state, nonce and the PKCE verifier; the request URI is rebuilt with the extra parameter
		return OAuth2AuthorizationRequest.from(authorizationRequest)
			.additionalParameters((parameters) -> parameters.put(IDP_HINT, idpHint))
			.build();
	}

}
