package dev.authserver.users;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Sends a person whose account must change its password (flag set by an admin or policy) to the change page before
 * anything else, the authorization endpoint included, and back to where they were going afterwards.
 * <p>
 * Registered as a servlet filter in front of both security filter chains: the sign-in marks the session
 * ({@link #require}) and this filter only reads that mark, so it costs nothing for everyone else.
 */
class PasswordChangeRequiredFilter extends OncePerRequestFilter {

	private static final String REQUIRED = PasswordChangeRequiredFilter.class.getName() + ".REQUIRED";

	private static final String NEXT = PasswordChangeRequiredFilter.class.getName() + ".NEXT";

	// The second step (TOTP code, passkey) and setting up a required second factor come first: the change page opens
	// only once the sign-in is complete, so without them the two filters would send the person round in circles.
	private static final List<String> ALLOWED = List.of("/account/password", "/logout", "/css/", "/img/", "/js/",
			"/error", "/favicon.ico", "/login/totp", "/login/webauthn", "/webauthn/", "/account/security");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		HttpSession session = request.getSession(false);
		if (session == null || !isRequired(session) || isAllowed(request.getRequestURI())) {
			chain.doFilter(request, response);
			return;
		}
		// The first place they were going (typically the authorization request that sent them to sign in).
		if ("GET".equals(request.getMethod()) && session.getAttribute(NEXT) == null) {
			String query = request.getQueryString();
			session.setAttribute(NEXT, request.getRequestURI() + ((query != null) ? "?" + query : ""));
		}
		response.sendRedirect(request.getContextPath() + "/account/password");
	}

	private static boolean isAllowed(String path) {
		return ALLOWED.stream().anyMatch(path::startsWith);
	}

	static void require(HttpSession session) {
		session.setAttribute(REQUIRED, Boolean.TRUE);
	}

	static boolean isRequired(HttpSession session) {
		return Boolean.TRUE.equals(session.getAttribute(REQUIRED));
	}

	/** The password was changed: the session is free again; returns where the person was going, if anywhere. */
	static @Nullable String done(HttpSession session) {
		boolean wasRequired = isRequired(session);
		session.removeAttribute(REQUIRED);
		Object next = session.getAttribute(NEXT);
		session.removeAttribute(NEXT);
		return (wasRequired && next instanceof String path && path.startsWith("/") && !path.startsWith("//")) ? path
				: null;
	}

}
