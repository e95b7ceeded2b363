package dev.authserver.mfa;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.authserver.throttling.SignInThrottle;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The second sign-in step: a code from the authenticator or a recovery code, throttled like the password form.
 */
@Controller
class SecondFactorController {

	/** The throttling door of second-factor codes (TOTP and recovery codes). */
	static final String MFA_DOOR = "mfa";

	private static final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();

	private final TotpCredentials totp;

	private final Clock clock;

	private final SignInThrottle throttle;

	private final ApplicationEventPublisher events;

	SecondFactorController(TotpCredentials totp, Clock clock, SignInThrottle throttle,
			ApplicationEventPublisher events) {
		this.totp = totp;
		this.clock = clock;
		this.throttle = throttle;
		this.events = events;
	}

	@GetMapping("/login/totp")
	String challenge(Authentication authentication) {
		if (!MfaPolicy.lacksSecondFactor(authentication)) {
			return "redirect:/";
		}
		return "mfa/challenge";
	}

	@PostMapping("/login/totp")
	String verify(Authentication authentication, @RequestParam(name = "code", defaultValue = "") String code,
			HttpServletRequest request, HttpServletResponse response) {
		if (!MfaPolicy.lacksSecondFactor(authentication)) {
			return "redirect:/";
		}
		// The same limits as the password form (issue: "the same limits on every door"), counted per account and
		// client address before the code is checked, so that parallel guesses count too. A 6-digit code is only
		// 10^6 guesses: without this, a stolen password would be the only thing between an attacker and the account.
		UUID account = accountOf(authentication);
		if (!this.throttle.check(MFA_DOOR, account.toString(), request.getRemoteAddr()).allowed()) {
			return "redirect:/login/totp?throttled";
		}
		String method = TotpCredentials.methodOf(code);
		if (code.isBlank() || !this.totp.verify(account, code)) {
			this.events.publishEvent(
					new SecondFactorFailed(account, method, request.getRemoteAddr(), this.clock.instant()));
			return "redirect:/login/totp?error";
		}
		this.events.publishEvent(
				new SecondFactorSucceeded(account, method, request.getRemoteAddr(), this.clock.instant()));
		this.throttle.recordSuccess(MFA_DOOR, account.toString(), request.getRemoteAddr());
		// The second step of this sign-in: the factor is given now.
		addTotpFactor(authentication, this.clock.instant(), request, response);
		return "redirect:" + next(request);
	}

	/**
	 * Replaces the session's authentication by the same one with the TOTP factor, issued at {@code issuedAt}, added,
	 * under a new session id. The account security page uses it too, when a confirmed authenticator gives the
	 * session its second factor.
	 */
	static void addTotpFactor(Authentication authentication, Instant issuedAt, HttpServletRequest request,
			HttpServletResponse response) {
		List<GrantedAuthority> authorities = new ArrayList<>(authentication.getAuthorities());
		authorities.add(FactorGrantedAuthority.withAuthority(MfaPolicy.TOTP_AUTHORITY).issuedAt(issuedAt).build());
		UsernamePasswordAuthenticationToken upgraded = UsernamePasswordAuthenticationToken
			.authenticated(authentication.getPrincipal(), null, authorities);
		upgraded.setDetails(authentication.getDetails());
		SecurityContext context = SecurityContextHolder.createEmptyContext();
		context.setAuthentication(upgraded);
		SecurityContextHolder.setContext(context);
		// A new session id with the new level of assurance, like at the first sign-in (session fixation).
		request.changeSessionId();
		contexts.saveContext(context, request, response);
	}

	private static String next(HttpServletRequest request) {
		HttpSession session = request.getSession();
		Object next = session.getAttribute(SecondFactorFilter.NEXT);
		session.removeAttribute(SecondFactorFilter.NEXT);
		// Only a local path that the filter stored; never a full URL or a protocol-relative one.
		if (next instanceof String path && path.startsWith("/") && !path.startsWith("//") && !path.startsWith("/\\")) {
			return path;
		}
		return "/";
	}

	static UUID accountOf(Authentication authentication) {
		return UUID.fromString(authentication.getName());
	}

}
