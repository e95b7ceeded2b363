package dev.authserver.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.nimbusds.jwt.JWTParser;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.util.StringUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Applies the sign-in parts of an OIDC authentication request that Spring's authorization server does not
 * (OIDC Core 1.0 §3.1.2.1): a signed-in person signs in again for {@code prompt=login} or when their sign-in is older
 * than {@code max_age}; and {@code prompt=none} answers {@code login_required} to the client instead of showing the
 * login page, also when its {@code id_token_hint} names someone other than the signed-in person. It runs after
 * Spring has validated the request (client, redirect URI) and just before the authorization check, which would
 * otherwise send every unauthenticated request to the login page.
 * <p>
 * The filter hides the authentication from this one request, so Spring's entry point sends the person to the login
 * page and back. The session stays signed in until the new sign-in succeeds: anyone can link to the authorization
 * endpoint with {@code prompt=login}, and that must not sign the person out (a logout CSRF). It also remembers in
 * the session when it asked for this request, so the same request (which still says {@code prompt=login}) goes
 * through once the person has signed in after that moment, and not before. The ID token's {@code auth_time} then
 * shows the new sign-in.
 */
public final class ReauthenticationFilter extends OncePerRequestFilter {

	private static final int MAX_FORCED = 16;

	private static final String FORCED_AT = ReauthenticationFilter.class.getName() + ".FORCED_AT";

	private final String authorizationEndpoint;

	private final Clock clock;

	private final AuthorizationErrorResponseHandler errorResponseHandler = new AuthorizationErrorResponseHandler();

	public ReauthenticationFilter(String authorizationEndpoint, Clock clock) {
		this.authorizationEndpoint = authorizationEndpoint;
		this.clock = clock;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!isAuthorizationRequest(request)) {
			chain.doFilter(request, response);
			return;
		}
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		Instant authenticatedAt = (authentication != null) ? authenticatedAt(authentication) : null;
		List<String> prompt = promptValues(request);
		boolean promptNone = prompt.contains("none");
		if (promptNone && prompt.size() > 1) {
			// OIDC Core §3.1.2.1: none with any other value is an error. Spring refuses only none with login, consent
			// or select_account, and only for OpenID requests.
			redirectError(request, response, new OAuth2Error("invalid_request",
					"prompt=none cannot be combined with another value", null));
			return;
		}
		if (authenticatedAt == null) {
			if (promptNone) {
				loginRequired(request, response);
				return;
			}
			chain.doFilter(request, response);
			return;
		}
		if (promptNone && !hintNamesSignedInPerson(request, authentication)) {
			// OIDC Core §3.1.2.2: the client expects another person; without a page we cannot ask who is there.
			loginRequired(request, response);
			return;
		}
		if (!mustSignInAgain(request, authenticatedAt)) {
			chain.doFilter(request, response);
			return;
		}
		if (promptNone) {
			// The client asked us not to show any page (OIDC Core §3.1.2.6). The session stays signed in.
			loginRequired(request, response);
			return;
		}
		String requestKey = requestKey(request);
		Map<String, Instant> forced = forcedAt(request.getSession());
		Instant forcedAt = forced.get(requestKey);
		if (forcedAt != null && authenticatedAt.isAfter(forcedAt)) {
			// Signed in again since we asked: this request may proceed, once.
			forced.remove(requestKey);
			saveForcedAt(request.getSession(), forced);
			chain.doFilter(request, response);
			return;
		}
		forced.put(requestKey, this.clock.instant());
		saveForcedAt(request.getSession(), forced);
		// For this request only: the context in the session is not touched, so a person who does not complete the
		// new sign-in stays signed in as before.
		SecurityContextHolder.clearContext();
		chain.doFilter(request, response);
	}

	private boolean isAuthorizationRequest(HttpServletRequest request) {
		return this.authorizationEndpoint.equals(request.getServletPath())
				&& StringUtils.hasText(request.getParameter(OAuth2ParameterNames.RESPONSE_TYPE));
	}

	/** OIDC Core §3.1.2.6: the error goes to the redirect URI Spring has validated, with the request's state. */
	private void loginRequired(HttpServletRequest request, HttpServletResponse response) throws IOException {
		redirectError(request, response,
				new OAuth2Error("login_required", "The end-user is not signed in, or must sign in again", null));
	}

	private void redirectError(HttpServletRequest request, HttpServletResponse response, OAuth2Error error)
			throws IOException {
		Object validated = request.getAttribute(OAuth2AuthorizationCodeRequestAuthenticationToken.class.getName());
		OAuth2AuthorizationCodeRequestAuthenticationToken authorizationRequest = (validated instanceof OAuth2AuthorizationCodeRequestAuthenticationToken token)
				? token : null;
		this.errorResponseHandler.onAuthenticationFailure(request, response,
				new OAuth2AuthorizationCodeRequestAuthenticationException(error, authorizationRequest));
	}

	private static List<String> promptValues(HttpServletRequest request) {
		String prompt = request.getParameter("prompt");
		return (prompt != null) ? Arrays.stream(prompt.split(" ")).filter(StringUtils::hasText).distinct().toList()
				: List.of();
	}

	/**
	 * Whether the request's {@code id_token_hint}, if any, names the signed-in person. Only its {@code sub} is read,
	 * without checking the signature: the answer can only refuse (login_required), never grant anything.
	 */
	private static boolean hintNamesSignedInPerson(HttpServletRequest request, Authentication authentication) {
		String hint = request.getParameter("id_token_hint");
		if (!StringUtils.hasText(hint)) {
			return true;
		}
		try {
			return authentication.getName().equals(JWTParser.parse(hint).getJWTClaimsSet().getSubject());
		}
		catch (ParseException ex) {
			return false;
		}
	}

	private boolean mustSignInAgain(HttpServletRequest request, Instant authenticatedAt) {
		if (promptValues(request).contains("login")) {
			return true;
		}
		Long maxAge = maxAge(request.getParameter("max_age"));
		return maxAge != null
				&& Duration.between(authenticatedAt, this.clock.instant()).getSeconds() >= Math.max(maxAge, 0);
	}

	// Spring's JwtGenerator takes auth_time from the newest factor the same way.
	private static @Nullable Instant authenticatedAt(Authentication authentication) {
		if (authentication instanceof AnonymousAuthenticationToken || !authentication.isAuthenticated()) {
			return null;
		}
		Instant newest = null;
		for (GrantedAuthority authority : authentication.getAuthorities()) {
			if (authority instanceof FactorGrantedAuthority factor
					&& (newest == null || factor.getIssuedAt().isAfter(newest))) {
				newest = factor.getIssuedAt();
			}
		}
		return newest;
	}

	private static @Nullable Long maxAge(@Nullable String value) {
		if (value == null || value.isEmpty() || value.length() > 12) {
			return null;
		}
		try {
			return Long.parseLong(value);
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	// A copy: a change is kept only by setting the attribute again (saveForcedAt).
	@SuppressWarnings("unchecked")
	private static Map<String, Instant> forcedAt(HttpSession session) {
		Object existing = session.getAttribute(FORCED_AT);
		return (existing instanceof Map<?, ?> map) ? new HashMap<>((Map<String, Instant>) map) : new HashMap<>();
	}

	// Spring Session (JDBC) writes an attribute only when it is set: a map changed in place would keep its first
	// state in the database, so a used entry would let the same prompt=login request through again without a
	// sign-in. At most MAX_FORCED requests are remembered per session; the oldest go first.
	private static void saveForcedAt(HttpSession session, Map<String, Instant> forced) {
		while (forced.size() > MAX_FORCED) {
			forced.entrySet()
				.stream()
				.min(Map.Entry.comparingByValue())
				.ifPresent((oldest) -> forced.remove(oldest.getKey()));
		}
		session.setAttribute(FORCED_AT, new HashMap<>(forced));
	}

	/** The parameters that identify one authorization request, hashed. */
	private static String requestKey(HttpServletRequest request) {
		StringBuilder key = new StringBuilder();
		for (String name : List.of(OAuth2ParameterNames.CLIENT_ID, OAuth2ParameterNames.REDIRECT_URI,
				OAuth2ParameterNames.STATE, "nonce", OAuth2ParameterNames.SCOPE, "prompt", "max_age")) {
			key.append(name).append('=').append(request.getParameter(name)).append('\n');
		}
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest(key.toString().getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every Java runtime", ex);
		}
	}

}
