package dev.authserver.clients;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.util.JSONArrayUtils;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimNames;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Request objects at the authorization endpoint (OIDC Core 1.0 §6.1, RFC 9101): a {@code request} parameter is
 * verified with the client's registered keys ({@link RequestObjectVerifier}) and its parameters replace the ones of
 * the same name sent beside it (OIDC Core §6.3.3). The rest of the chain (Spring's authorization endpoint, the
 * sign-in and prompt filters, the saved request) then sees one authorization request, by GET, with the merged
 * parameters; the {@code request} parameter stays in it, so that the request resumed after sign-in is verified again.
 * <ul>
 * <li>{@code client_id} (and {@code response_type}) sent beside the object must be the ones inside it.</li>
 * <li>{@code request_uri} is refused with {@code request_uri_not_supported}: we fetch no request objects by
 * reference, and pushed authorization requests do not exist yet.</li>
 * <li>A client registered with {@code require_signed_request_object} (RFC 9101 §10.5) cannot send a plain
 * request.</li>
 * </ul>
 * Errors go to the client's redirect URI when it is one the client registered, and otherwise to our error page.
 */
public final class AuthorizationRequestObjectFilter extends OncePerRequestFilter {

	static final String REQUEST = "request";

	private static final String ERROR_URI = "https://openid.net/specs/openid-connect-core-1_0.html#RequestObject";

	// JWT claims that describe the object itself, not the authorization request (RFC 9101 §4); request and
	// request_uri must not appear inside a request object.
	private static final Set<String> NOT_PARAMETERS = Set.of(JWTClaimNames.ISSUER, JWTClaimNames.AUDIENCE,
			JWTClaimNames.EXPIRATION_TIME, JWTClaimNames.NOT_BEFORE, JWTClaimNames.ISSUED_AT, JWTClaimNames.JWT_ID,
			JWTClaimNames.SUBJECT, REQUEST, OAuth2ParameterNames.REQUEST_URI);

	// The parameters a client that must sign its requests may still send beside the object (RFC 9101 §5).
	private static final Set<String> OUTER_PARAMETERS = Set.of(OAuth2ParameterNames.CLIENT_ID,
			OAuth2ParameterNames.RESPONSE_TYPE);

	private static final Authentication ANONYMOUS = new AnonymousAuthenticationToken("anonymous", "anonymousUser",
			AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));

	private final String authorizationEndpoint;

	private final RegisteredClientRepository clients;

	private final RequestObjectVerifier verifier;

	private final AuthenticationFailureHandler errorResponseHandler;

	public AuthorizationRequestObjectFilter(String authorizationEndpoint, String issuer,
			RegisteredClientRepository clients, ClientKeys clientKeys,
			AuthenticationFailureHandler errorResponseHandler) {
		Assert.hasText(authorizationEndpoint, "authorizationEndpoint cannot be empty");
		Assert.hasText(issuer, "issuer cannot be empty");
		this.authorizationEndpoint = authorizationEndpoint;
		this.clients = clients;
		this.verifier = new RequestObjectVerifier(issuer, clientKeys);
		this.errorResponseHandler = errorResponseHandler;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!isAuthorizationRequest(request)) {
			chain.doFilter(request, response);
			return;
		}
		String clientId = request.getParameter(OAuth2ParameterNames.CLIENT_ID);
		RegisteredClient client = (clientId != null && single(request, OAuth2ParameterNames.CLIENT_ID))
				? this.clients.findByClientId(clientId) : null;
		if (StringUtils.hasText(request.getParameter(OAuth2ParameterNames.REQUEST_URI))) {
			fail(request, response, client, null, "request_uri_not_supported",
					"request_uri is not supported; send the request object by value in request");
			return;
		}
		String requestObject = request.getParameter(REQUEST);
		if (!StringUtils.hasText(requestObject)) {
			if (client != null && RequestObjectSettings.requiresSignedRequestObject(client)) {
				fail(request, response, client, null, OAuth2ErrorCodes.INVALID_REQUEST,
						"This client must send its authorization requests as signed request objects");
				return;
			}
			chain.doFilter(request, response);
			return;
		}
		// Without a known client there are no keys: Spring refuses the request on our error page.
		if (client == null) {
			chain.doFilter(request, response);
			return;
		}
		if (!single(request, REQUEST)) {
			fail(request, response, client, null, OAuth2ErrorCodes.INVALID_REQUEST, "More than one request");
			return;
		}
		JWTClaimsSet claims;
		try {
			claims = this.verifier.verify(requestObject, client);
		}
		catch (RequestObjectVerifier.InvalidRequestObjectException ex) {
			fail(request, response, client, unverifiedClaims(requestObject), "invalid_request_object",
					ex.getMessage());
			return;
		}
		Map<String, List<String>> parameters = merge(request, claims,
				RequestObjectSettings.requiresSignedRequestObject(client));
		if (!List.of(client.getClientId()).equals(parameters.get(OAuth2ParameterNames.CLIENT_ID))) {
			fail(request, response, client, claims, "invalid_request_object",
					"The request object's client_id is not the client_id of the request");
			return;
		}
		String responseType = request.getParameter(OAuth2ParameterNames.RESPONSE_TYPE);
		if (responseType != null
				&& !List.of(responseType).equals(parameters.get(OAuth2ParameterNames.RESPONSE_TYPE))) {
			// OIDC Core §6.1: response_type sent beside the object must match the one inside it.
			fail(request, response, client, claims, "invalid_request_object",
					"The request object's response_type is not the response_type of the request");
			return;
		}
		parameters.put(REQUEST, List.of(requestObject));
		chain.doFilter(new MergedAuthorizationRequest(request, parameters), response);
	}

	private boolean isAuthorizationRequest(HttpServletRequest request) {
		if (!this.authorizationEndpoint.equals(request.getServletPath())) {
			return false;
		}
		// A POST with none of these is the consent form.
		return HttpMethod.GET.matches(request.getMethod()) || (HttpMethod.POST.matches(request.getMethod())
				&& (request.getParameter(OAuth2ParameterNames.RESPONSE_TYPE) != null
						|| request.getParameter(REQUEST) != null
						|| request.getParameter(OAuth2ParameterNames.REQUEST_URI) != null));
	}

	/**
	 * OIDC Core §6.3.3: the parameters sent beside the object, each replaced by the object's value if it has one. For
	 * a client registered with {@code require_signed_request_object}, RFC 9101 §5 and §10.5: only the object's
	 * parameters count, and of those sent beside it only {@code client_id} and {@code response_type} (which must then
	 * match the object's), so that nobody can add a parameter the client did not sign to a captured object.
	 */
	private static Map<String, List<String>> merge(HttpServletRequest request, JWTClaimsSet claims,
			boolean signedOnly) {
		Map<String, List<String>> parameters = new LinkedHashMap<>();
		// Every value is kept, so that Spring still refuses a parameter sent twice.
		request.getParameterMap().forEach((name, values) -> {
			if (signedOnly && !OUTER_PARAMETERS.contains(name)) {
				return;
			}
			if (!REQUEST.equals(name) && values.length > 0) {
				parameters.put(name, List.of(values));
			}
		});
		claims.getClaims().forEach((name, value) -> {
			if (!NOT_PARAMETERS.contains(name) && value != null) {
				parameters.put(name, List.of(asParameter(value)));
			}
		});
		return parameters;
	}

	// Parameters are strings; the claims parameter is a JSON object inside a request object (OIDC Core §6.1).
	@SuppressWarnings("unchecked")
	private static String asParameter(Object value) {
		if (value instanceof Map<?, ?> object) {
			return JSONObjectUtils.toJSONString((Map<String, ?>) object);
		}
		if (value instanceof List<?> array) {
			return JSONArrayUtils.toJSONString((List<Object>) array);
		}
		return value.toString();
	}

	private static boolean single(HttpServletRequest request, String name) {
		String[] values = request.getParameterValues(name);
		return values != null && values.length == 1;
	}

	private static @Nullable JWTClaimsSet unverifiedClaims(String requestObject) {
		try {
			return JWTParser.parse(requestObject).getJWTClaimsSet();
		}
		catch (Exception ex) {
			return null;
		}
	}

	/**
	 * Sends the error to the client when the redirect URI (sent beside the object, or in it) is one the client
	 * registered, with the state sent along; otherwise shows it on our error page.
	 */
	private void fail(HttpServletRequest request, HttpServletResponse response, @Nullable RegisteredClient client,
			@Nullable JWTClaimsSet claims, String errorCode, String description) throws IOException, ServletException {
		String redirectUri = firstText(request.getParameter(OAuth2ParameterNames.REDIRECT_URI),
				claim(claims, OAuth2ParameterNames.REDIRECT_URI));
		if (redirectUri == null && client != null && client.getRedirectUris().size() == 1) {
			redirectUri = client.getRedirectUris().iterator().next();
		}
		if (client == null || redirectUri == null || !client.getRedirectUris().contains(redirectUri)) {
			redirectUri = null;
		}
		String state = firstText(claim(claims, OAuth2ParameterNames.STATE),
				request.getParameter(OAuth2ParameterNames.STATE));
		Authentication principal = SecurityContextHolder.getContext().getAuthentication();
		OAuth2AuthorizationCodeRequestAuthenticationToken authorizationRequest = new OAuth2AuthorizationCodeRequestAuthenticationToken(
				request.getRequestURL().toString(),
				(client != null) ? client.getClientId() : "unknown", (principal != null) ? principal : ANONYMOUS,
				redirectUri, state, null, Map.of());
		OAuth2Error error = new OAuth2Error(errorCode, description, ERROR_URI);
		this.errorResponseHandler.onAuthenticationFailure(request, response,
				new OAuth2AuthorizationCodeRequestAuthenticationException(error, authorizationRequest));
	}

	private static @Nullable String claim(@Nullable JWTClaimsSet claims, String name) {
		return (claims != null && claims.getClaim(name) instanceof String value) ? value : null;
	}

	private static @Nullable String firstText(@Nullable String first, @Nullable String second) {
		return StringUtils.hasText(first) ? first : (StringUtils.hasText(second) ? second : null);
	}

	/** The authorization request with the request object's parameters, seen as a GET. */
	private static final class MergedAuthorizationRequest extends HttpServletRequestWrapper {

		private final Map<String, String[]> parameters = new LinkedHashMap<>();

		private final String queryString;

		MergedAuthorizationRequest(HttpServletRequest request, Map<String, List<String>> parameters) {
			super(request);
			StringBuilder query = new StringBuilder();
			parameters.forEach((name, values) -> {
				this.parameters.put(name, values.toArray(new String[0]));
				for (String value : values) {
					if (!query.isEmpty()) {
						query.append('&');
					}
					query.append(encode(name)).append('=').append(encode(value));
				}
			});
			this.queryString = query.toString();
		}

		@Override
		public String getMethod() {
			return HttpMethod.GET.name();
		}

		@Override
		public String getQueryString() {
			return this.queryString;
		}

		@Override
		public @Nullable String getParameter(String name) {
			String[] values = this.parameters.get(name);
			return (values != null) ? values[0] : null;
		}

		@Override
		public Map<String, String[]> getParameterMap() {
			return Collections.unmodifiableMap(this.parameters);
		}

		@Override
		public Enumeration<String> getParameterNames() {
			return Collections.enumeration(this.parameters.keySet());
		}

		@Override
		public String @Nullable [] getParameterValues(String name) {
			String[] values = this.parameters.get(name);
			return (values != null) ? values.clone() : null;
		}

		private static String encode(String value) {
			return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
		}

	}

}
