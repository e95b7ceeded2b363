package dev.authserver.security;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpMethod;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.util.StringUtils;

/**
 * The {@link RequestCache} of the protocol chain: it saves every authorization request (GET or POST, whatever its
 * {@code Accept} header), and nothing else, so that the person is always brought back to it after signing in.
 * <p>
 * Spring's default cache skips requests that accept {@code application/json}, and every POST while CSRF protection
 * is on; OIDC Core 1.0 §3.1.2.1 lets a client send the authorization request by GET or by form POST, with any
 * {@code Accept}. A POST is saved as the equivalent GET (its parameters in the query string): the request is resumed
 * by a redirect, and Spring validates the authorization request before the request cache could restore a POST body.
 * The API endpoints of this chain (token, introspection, UserInfo, ...) answer 401 and save nothing.
 */
final class AuthorizationRequestCache extends HttpSessionRequestCache {

	private final String authorizationEndpoint;

	AuthorizationRequestCache(String authorizationEndpoint) {
		this.authorizationEndpoint = authorizationEndpoint;
		setRequestMatcher(this::isAuthorizationRequest);
	}

	@Override
	public void saveRequest(HttpServletRequest request, HttpServletResponse response) {
		if (HttpMethod.POST.matches(request.getMethod()) && isAuthorizationRequest(request)) {
			super.saveRequest(new AsGet(request), response);
			return;
		}
		super.saveRequest(request, response);
	}

	private boolean isAuthorizationRequest(HttpServletRequest request) {
		if (!this.authorizationEndpoint.equals(request.getServletPath())) {
			return false;
		}
		if (HttpMethod.GET.matches(request.getMethod())) {
			return true;
		}
		// A POST without these is the consent form, which belongs to a session already.
		return HttpMethod.POST.matches(request.getMethod())
				&& (StringUtils.hasText(request.getParameter(OAuth2ParameterNames.RESPONSE_TYPE))
						|| StringUtils.hasText(request.getParameter("request"))
						|| StringUtils.hasText(request.getParameter(OAuth2ParameterNames.REQUEST_URI)));
	}

	/** A form POST seen as the GET that carries the same parameters. */
	private static final class AsGet extends HttpServletRequestWrapper {

		private final String queryString;

		AsGet(HttpServletRequest request) {
			super(request);
			StringBuilder query = new StringBuilder();
			for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
				for (String value : parameter.getValue()) {
					if (!query.isEmpty()) {
						query.append('&');
					}
					query.append(encode(parameter.getKey())).append('=').append(encode(value));
				}
			}
			this.queryString = query.toString();
		}

		@Override
		public String getMethod() {
			return HttpMethod.GET.name();
		}

		@Override
		public @Nullable String getQueryString() {
			return this.queryString.isEmpty() ? null : this.queryString;
		}

		private static String encode(String value) {
			return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
		}

	}

}
