package dev.authserver.authorization;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

import com.nimbusds.jwt.JWTParser;
import dev.authserver.crypto.Digests;
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
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

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
 * <p>
 * {@code prompt=select_account} sends a signed-in person to a page (the {@code web} module's select-account page, at {@link #SELECT_ACCOUNT_PATH}) that asks
 * whether to continue as the signed-in person or to use another account; the second choice works like
 * {@code prompt=login}. With nobody signed in, the login form is the choice.
 */
public final class ReauthenticationFilter extends OncePerRequestFilter {

	/** Where {@code prompt=select_account} asks a signed-in person which account to use. */
	public static final String SELECT_ACCOUNT_PATH = "/select-account";

	private static final int MAX_FORCED = 16;

	private static final String FORCED_AT = ReauthenticationFilter.class.getName() + ".FORCED_AT";

	private static final String CONTINUED = ReauthenticationFilter.class.getName() + ".CONTINUED";

	private static final String PENDING_CHOICE = ReauthenticationFilter.class.getName() + ".PENDING_CHOICE";

	private static final int MAX_PENDING_CHOICES = 20;

	private final String authorizationEndpoint;

	private final Clock clock;

	private final AuthorizationErrorResponseHandler errorResponseHandler = new AuthorizationErrorResponseHandler();

	private final BiFunction<@Nullable String, String, String> subjects;

	public ReauthenticationFilter(String authorizationEndpoint, Clock clock) {
		this(authorizationEndpoint, clock, (clientId, accountId) -> accountId);
	}

	/**
	 * @param subjects the {@code sub} the client of a {@code client_id} sees for an account id (a pairwise one for
	 * a pairwise client, OIDC Core §8.1), which an {@code id_token_hint} is compared with
	 */
	public ReauthenticationFilter(String authorizationEndpoint, Clock clock,
			BiFunction<@Nullable String, String, String> subjects) {
		this.authorizationEndpoint = authorizationEndpoint;
		this.clock = clock;
		this.subjects = subjects;
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
		boolean selectAccount = prompt.contains("select_account");
		if (authenticatedAt == null) {
			if (promptNone) {
				loginRequired(request, response);
				return;
			}
			if (selectAccount) {
				// OIDC Core §3.1.2.1: with nobody signed in, the login form is where the account is chosen; once the
				// person signs in, the resumed request (still saying select_account) does not ask again.
				putForcedAt(request.getSession(), requestKey(request), this.clock.instant());
			}
			chain.doFilter(request, response);
			return;
		}
		if (promptNone && !hintNamesSignedInPerson(request, authentication)) {
			// OIDC Core §3.1.2.2: the client expects another person; without a page we cannot ask who is there.
			loginRequired(request, response);
			return;
		}
		boolean signInAgain = mustSignInAgain(request, authenticatedAt);
		if (!signInAgain && !selectAccount) {
			chain.doFilter(request, response);
			return;
		}
		if (promptNone) {
			// The client asked us not to show any page (OIDC Core §3.1.2.6). The session stays signed in.
			loginRequired(request, response);
			return;
		}
		String requestKey = requestKey(request);
		HttpSession session = request.getSession();
		Instant forcedAt = forcedAt(session).get(requestKey);
		if (forcedAt != null && authenticatedAt.isAfter(forcedAt)) {
			// Signed in again since we asked: this request may proceed, once.
			removeForcedAt(session, requestKey);
			chain.doFilter(request, response);
			return;
		}
		if (!signInAgain && forcedAt == null) {
			// prompt=select_account: the person answers on our page first; "continue" lets this request through once.
			if (takeContinued(session, requestKey)) {
				chain.doFilter(request, response);
				return;
			}
			putPendingChoice(session, requestKey, resumeUrl(request));
			response.sendRedirect(request.getContextPath() + SELECT_ACCOUNT_PATH + "?request=" + requestKey);
			return;
		}
		putForcedAt(session, requestKey, this.clock.instant());
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
	private boolean hintNamesSignedInPerson(HttpServletRequest request, Authentication authentication) {
		String hint = request.getParameter("id_token_hint");
		if (!StringUtils.hasText(hint)) {
			return true;
		}
		try {
			// OIDC Core §8.1: a pairwise client's ID tokens carry its own sub, not the account id.
			String subject = this.subjects.apply(request.getParameter(OAuth2ParameterNames.CLIENT_ID),
					authentication.getName());
			return subject.equals(JWTParser.parse(hint).getJWTClaimsSet().getSubject());
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

	// Every change is written back with setAttribute: Spring Session saves an attribute only when it is set again.
	private static Map<String, Instant> forcedAt(HttpSession session) {
		return sessionMap(session, FORCED_AT);
	}

	/** From now on, this request proceeds only after a sign-in newer than {@code at}. */
	public static void putForcedAt(HttpSession session, String requestKey, Instant at) {
		ReauthenticationFilter.<Instant, Void>changeSessionMap(session, FORCED_AT, (forced) -> {
			// At most MAX_FORCED requests are remembered per session; the oldest go first.
			while (forced.size() >= MAX_FORCED) {
				forced.entrySet()
					.stream()
					.min(Map.Entry.comparingByValue())
					.ifPresent((oldest) -> forced.remove(oldest.getKey()));
			}
			forced.put(requestKey, at);
			return null;
		});
	}

	private static void removeForcedAt(HttpSession session, String requestKey) {
		ReauthenticationFilter.<Instant, Instant>changeSessionMap(session, FORCED_AT,
				(forced) -> forced.remove(requestKey));
	}

	/** The person chose to continue as themselves: the request proceeds once without asking again. */
	public static void putContinued(HttpSession session, String requestKey) {
		putBounded(session, CONTINUED, requestKey, Boolean.TRUE);
	}

	private static boolean takeContinued(HttpSession session, String requestKey) {
		return ReauthenticationFilter.<Boolean, Boolean>changeSessionMap(session, CONTINUED,
				(continued) -> continued.remove(requestKey)) != null;
	}

	private static void putPendingChoice(HttpSession session, String requestKey, String resumeUrl) {
		putBounded(session, PENDING_CHOICE, requestKey, resumeUrl);
	}

	/** The authorization request that waits for an answer on the account page, or {@code null}. */
	public static @Nullable String pendingChoice(HttpSession session, String requestKey) {
		return ReauthenticationFilter.<String>sessionMap(session, PENDING_CHOICE).get(requestKey);
	}

	/** Like {@link #pendingChoice} and forgets it, so each page answers once. */
	public static @Nullable String takePendingChoice(HttpSession session, String requestKey) {
		return ReauthenticationFilter.<String, String>changeSessionMap(session, PENDING_CHOICE,
				(pending) -> pending.remove(requestKey));
	}

	// Answers or pages whose request never came back are dropped at MAX_PENDING_CHOICES: the session does not grow
	// without bound.
	private static <V> void putBounded(HttpSession session, String name, String requestKey, V value) {
		ReauthenticationFilter.<V, Void>changeSessionMap(session, name, (map) -> {
			if (map.size() >= MAX_PENDING_CHOICES) {
				map.clear();
			}
			map.put(requestKey, value);
			return null;
		});
	}

	// Spring Session (JDBC) saves an attribute only when it is set: every change is made to a copy that is set again.
	private static <V, R> @Nullable R changeSessionMap(HttpSession session, String name,
			Function<Map<String, V>, @Nullable R> change) {
		Map<String, V> copy = new HashMap<>(sessionMap(session, name));
		R result = change.apply(copy);
		session.setAttribute(name, copy);
		return result;
	}

	@SuppressWarnings("unchecked")
	private static <V> Map<String, V> sessionMap(HttpSession session, String name) {
		Object existing = session.getAttribute(name);
		return (existing instanceof Map<?, ?> map) ? (Map<String, V>) map : Map.of();
	}

	/**
	 * Where the browser goes back to after the account page: the same authorization request, as a path on this
	 * server (never built from the caller's Host header), relative to the context path that the answer's
	 * {@code redirect:} adds. A POSTed request is resumed as a GET with the same parameters (the endpoint takes both,
	 * OIDC Core §3.1.2.1).
	 */
	private static String resumeUrl(HttpServletRequest request) {
		String path = request.getServletPath();
		if ("GET".equals(request.getMethod())) {
			String query = request.getQueryString();
			return path + ((query != null) ? "?" + query : "");
		}
		UriComponentsBuilder uri = UriComponentsBuilder.fromPath(path);
		request.getParameterMap().forEach((name, values) -> {
			for (String value : values) {
				uri.queryParam(UriUtils.encode(name, StandardCharsets.UTF_8),
						UriUtils.encode(value, StandardCharsets.UTF_8));
			}
		});
		return uri.build(true).toUriString();
	}

	/** The parameters that identify one authorization request, hashed. */
	private static String requestKey(HttpServletRequest request) {
		StringBuilder key = new StringBuilder();
		for (String name : List.of(OAuth2ParameterNames.CLIENT_ID, OAuth2ParameterNames.REDIRECT_URI,
				OAuth2ParameterNames.STATE, "nonce", OAuth2ParameterNames.SCOPE, "prompt", "max_age")) {
			key.append(name).append('=').append(request.getParameter(name)).append('\n');
		}
		return Digests.sha256Hex(key);
	}

}
