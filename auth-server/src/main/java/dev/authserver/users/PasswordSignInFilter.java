package dev.authserver.users;

import java.io.IOException;
import java.util.UUID;

import dev.authserver.throttling.SignInThrottle;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Wraps the password form's {@code POST /login}: throttles the attempt before the password is checked
 * ({@link SignInThrottle}, door {@code password}), and after a successful sign-in forgets the account's count and
 * marks the session when the account must change its password.
 * <p>
 * The throttle is keyed by the account when the login names one, otherwise by the login as typed, so an unknown
 * login is slowed and locked exactly like a known one and the answer says nothing about which it is.
 */
class PasswordSignInFilter extends OncePerRequestFilter {

	static final String DOOR = "password";

	private final SignInThrottle throttle;

	private final UserAccounts accounts;

	private final Passwords passwords;

	PasswordSignInFilter(SignInThrottle throttle, UserAccounts accounts, Passwords passwords) {
		this.throttle = throttle;
		this.accounts = accounts;
		this.passwords = passwords;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !("POST".equals(request.getMethod()) && "/login".equals(request.getServletPath()));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String login = request.getParameter("username");
		String accountKey = (login != null) ? this.accounts.findByLogin(login)
			.map((account) -> account.id().toString())
			.orElseGet(() -> "login:" + UserAccounts.normalize(login)) : "login:";
		if (!this.throttle.check(DOOR, accountKey, request.getRemoteAddr()).allowed()) {
			response.sendRedirect(request.getContextPath() + "/login?throttled");
			return;
		}
		chain.doFilter(request, response);
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication instanceof UsernamePasswordAuthenticationToken && authentication.isAuthenticated()) {
			UUID userAccountId = UUID.fromString(authentication.getName());
			this.throttle.recordSuccess(DOOR, userAccountId.toString(), request.getRemoteAddr());
			if (this.passwords.mustChange(userAccountId)) {
				PasswordChangeRequiredFilter.require(request.getSession());
			}
		}
	}

}
