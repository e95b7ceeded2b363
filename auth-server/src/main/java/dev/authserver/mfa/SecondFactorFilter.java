package dev.authserver.mfa;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.authserver.tokens.AuthenticationLevel;
import dev.authserver.tokens.ClaimsRequest;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Holds a person who must complete a second factor at the second step until they do: the authorization endpoint
 * issues no code and our pages do not open. The page they asked for is remembered and opened afterwards. A client
 * asking for the multi-factor level ({@code acr_values}, an {@code acr} claims request) holds a person who signed in
 * with one factor the same way at its authorization request (step-up).
 * <p>
 * Added to both filter chains, before their authorization filter (and, on the protocol chain, before the
 * re-authentication filter, which answers {@code prompt=none}).
 */
public class SecondFactorFilter extends OncePerRequestFilter {

	/** Session attribute: where to continue after the second factor (a local path and query). */
	static final String NEXT = "authserver.mfa.next";

	static final String CHALLENGE_PAGE = "/login/totp";

	static final String SECURITY_PAGE = "/account/security";

	// A passkey is a second factor too (a complete sign-in on its own): always offered at the second step.
	private static final Set<String> PASSKEY_SIGN_IN = Set.of("/webauthn/authenticate/options", "/login/webauthn");

	// Registering a passkey is a way to set up a second factor, when one is required and none is set up yet.
	private static final Set<String> PASSKEY_REGISTRATION = Set.of("/webauthn/register/options", "/webauthn/register");

	private static final Set<String> ALWAYS_OPEN = Set.of("/login", "/logout", "/error", "/favicon.ico");

	private final MfaPolicy policy;

	private final TotpCredentials totp;

	private final Passkeys passkeys;

	SecondFactorFilter(MfaPolicy policy, TotpCredentials totp, Passkeys passkeys) {
		this.policy = policy;
		this.totp = totp;
		this.passkeys = passkeys;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || !authentication.isAuthenticated()
				|| authentication instanceof AnonymousAuthenticationToken
				|| !MfaPolicy.lacksSecondFactor(authentication)) {
			chain.doFilter(request, response);
			return;
		}
		UUID account = accountOf(authentication.getName());
		String path = request.getServletPath();
		if (account == null || ALWAYS_OPEN.contains(path) || path.startsWith("/css/") || path.startsWith("/img/")
				|| path.startsWith("/js/")) {
			chain.doFilter(request, response);
			return;
		}
		boolean required = this.policy.secondFactorRequired(account);
		if (!required && !stepUpRequested(request)) {
			chain.doFilter(request, response);
			return;
		}
		// Someone with an authenticator app or a passkey gives it at the second step; others must set one up.
		boolean enrolled = this.totp.isEnrolled(account) || this.passkeys.hasAny(account);
		// Enrolled: only the code page. Not yet enrolled (required by policy): only the set-up pages, never removal.
		if (enrolled ? secondStep(path) : secondStep(path) || enrolment(path)) {
			chain.doFilter(request, response);
			return;
		}
		if (!required && isSilentAuthorizationRequest(request)) {
			// Step-up asked for with prompt=none: no page can be shown, so the request goes on at the level reached.
			// OIDC Core §3.1.2.1 makes acr_values voluntary; an essential acr claim is refused by the authorization
			// endpoint (tokens.ClaimsRequestValidator: unmet_authentication_requirements).
			chain.doFilter(request, response);
			return;
		}
		if (isSilentAuthorizationRequest(request)) {
			// OIDC Core §3.1.2.6: prompt=none shows no page. For this request only, the person counts as not signed
			// in, and the re-authentication filter that follows answers login_required to the client.
			SecurityContextHolder.clearContext();
			chain.doFilter(request, response);
			return;
		}
		if ("GET".equals(request.getMethod())) {
			String query = request.getQueryString();
			request.getSession().setAttribute(NEXT, request.getRequestURI() + ((query != null) ? "?" + query : ""));
		}
		response.sendRedirect(request.getContextPath() + (enrolled ? CHALLENGE_PAGE : SECURITY_PAGE + "?required"));
	}

	private static boolean secondStep(String path) {
		return path.equals(CHALLENGE_PAGE) || PASSKEY_SIGN_IN.contains(path);
	}

	private static boolean enrolment(String path) {
		return path.equals(SECURITY_PAGE) || PASSKEY_REGISTRATION.contains(path)
				|| (path.startsWith(SECURITY_PAGE + "/totp/") || path.equals(SECURITY_PAGE + "/totp"))
						&& !path.equals(SECURITY_PAGE + "/totp/remove");
	}

	// Step-up (OIDC Core §3.1.2.1 acr_values, §5.5.1.1 acr claim): the client asks for the multi-factor level of a
	// person who signed in with one factor; they give their second factor, or set one up first, as the policy would
	// have them do, and the authorization request resumes afterwards.
	private static boolean stepUpRequested(HttpServletRequest request) {
		if (!"/oauth2/authorize".equals(request.getServletPath())) {
			return false;
		}
		Map<String, String> parameters = new HashMap<>();
		for (String name : List.of(AuthenticationLevel.ACR_VALUES, ClaimsRequest.PARAMETER)) {
			String value = request.getParameter(name);
			if (value != null) {
				parameters.put(name, value);
			}
		}
		AuthenticationLevel.Requested requested = AuthenticationLevel.requested(parameters);
		return requested != null && requested.level() == AuthenticationLevel.MULTI_FACTOR;
	}

	private static boolean isSilentAuthorizationRequest(HttpServletRequest request) {
		String prompt = request.getParameter("prompt");
		return "/oauth2/authorize".equals(request.getServletPath()) && prompt != null
				&& List.of(prompt.split(" ")).contains("none");
	}

	private static @Nullable UUID accountOf(String name) {
		try {
			return UUID.fromString(name);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
