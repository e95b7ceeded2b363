package dev.authserver.federation;

import java.net.URI;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.client.web.AuthorizationRequestRepository;
import org.springframework.security.oauth2.client.web.HttpSessionOAuth2AuthorizationRequestRepository;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;

/**
 * An {@link AuthorizationRequestRepository} that keeps authorization requests in the HTTP session (Spring's, keyed by
 * {@code state}) and hands one out only at the callback of the provider it was sent to.
 * <p>
 * RFC 9700 §4.4.2: each provider has its own redirect URI, and a response is accepted only at the one its request
 * named. Spring no longer compares them, so a Google code and state sent to the GitHub callback would otherwise be
 * exchanged at Google as if nothing were wrong (the mix-up defence).
 */
class CallbackBoundAuthorizationRequestRepository
		implements AuthorizationRequestRepository<OAuth2AuthorizationRequest> {

	private final HttpSessionOAuth2AuthorizationRequestRepository requests;

	CallbackBoundAuthorizationRequestRepository() {
		this.requests = new HttpSessionOAuth2AuthorizationRequestRepository();
	}

	@Override
	public @Nullable OAuth2AuthorizationRequest loadAuthorizationRequest(HttpServletRequest request) {
		return this.requests.loadAuthorizationRequest(request);
	}

	@Override
	public void saveAuthorizationRequest(@Nullable OAuth2AuthorizationRequest authorizationRequest,
			HttpServletRequest request, HttpServletResponse response) {
		this.requests.saveAuthorizationRequest(authorizationRequest, request, response);
	}

	@Override
	public @Nullable OAuth2AuthorizationRequest removeAuthorizationRequest(HttpServletRequest request,
			HttpServletResponse response) {
		// Removed in any case: a state is good for one response only.
		OAuth2AuthorizationRequest authorizationRequest = this.requests.removeAuthorizationRequest(request, response);
		if (authorizationRequest != null) {
			String expectedPath = URI.create(authorizationRequest.getRedirectUri()).getPath();
			if (!expectedPath.equals(request.getRequestURI())) {
				OAuth2Error error = new OAuth2Error("invalid_redirect_uri_parameter",
						"The response arrived at another provider's callback", null);
				throw new OAuth2AuthenticationException(error);
			}
		}
		return authorizationRequest;
	}

}
