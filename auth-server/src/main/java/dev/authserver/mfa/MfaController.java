package dev.authserver.mfa;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.authserver.throttling.SignInThrottle;
import dev.authserver.users.UserAccount;
import dev.authserver.users.UserAccounts;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The second sign-in step (a code from the authenticator or a recovery code), and the security page where a person
 * sets up or removes their authenticator.
 */
@Controller
class MfaController {

	/** The throttling door of second-factor codes (TOTP and recovery codes). */
	static final String MFA_DOOR = "mfa";

	/**
	 * Session attribute: the id of the enrolment this session started. A pending seed is shown and confirmed only in
	 * the session that asked for it, never in another session of the same account.
	 */
	static final String PENDING_ENROLMENT = "authserver.mfa.pending-enrolment";

	private final TotpCredentials totp;

	private final MfaPolicy policy;

	private final MfaProperties properties;

	private final UserAccounts accounts;

	private final Passkeys passkeys;

	private final Clock clock;

	private final SignInThrottle throttle;

	private final RecentSignIn recentSignIn;

	private final ApplicationEventPublisher events;

	private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();

	MfaController(TotpCredentials totp, MfaPolicy policy, MfaProperties properties, UserAccounts accounts,
			Passkeys passkeys, Clock clock, SignInThrottle throttle, RecentSignIn recentSignIn,
			ApplicationEventPublisher events) {
		this.events = events;
		this.throttle = throttle;
		this.recentSignIn = recentSignIn;
		this.totp = totp;
		this.policy = policy;
		this.properties = properties;
		this.accounts = accounts;
		this.passkeys = passkeys;
		this.clock = clock;
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

	@GetMapping("/account/security")
	String security(Authentication authentication, Model model) {
		UUID account = accountOf(authentication);
		model.addAttribute("enrolled", this.totp.isEnrolled(account));
		model.addAttribute("required", this.policy.secondFactorRequired(account)
				|| this.properties.required() == MfaProperties.Required.ALL);
		model.addAttribute("remainingRecoveryCodes", this.totp.remainingRecoveryCodes(account));
		model.addAttribute("passkeys", this.passkeys.list(account));
		return "mfa/security";
	}

	@PostMapping("/account/security/passkeys/delete")
	String deletePasskey(Authentication authentication,
			@RequestParam(name = "credential_id", defaultValue = "") String credentialId) {
		if (!this.recentSignIn.isRecent(authentication)) {
			return RecentSignIn.REAUTHENTICATE;
		}
		if (!this.passkeys.remove(accountOf(authentication), credentialId)) {
			return "redirect:/account/security";
		}
		return "redirect:/account/security?passkeyRemoved";
	}

	@PostMapping("/account/security/totp/start")
	String start(Authentication authentication, HttpSession session) {
		if (!this.recentSignIn.isRecent(authentication)) {
			return RecentSignIn.REAUTHENTICATE;
		}
		UUID account = accountOf(authentication);
		if (this.totp.isEnrolled(account)) {
			return "redirect:/account/security";
		}
		session.setAttribute(PENDING_ENROLMENT, this.totp.startEnrolment(account).id());
		return "redirect:/account/security/totp";
	}

	// Showing the seed and confirming it need a recent sign-in as well as starting: whoever reads the seed can later
	// compute codes from it, and a confirmed authenticator is a way in.
	@GetMapping("/account/security/totp")
	String enrol(Authentication authentication, HttpSession session, Model model) {
		if (!this.recentSignIn.isRecent(authentication)) {
			return RecentSignIn.REAUTHENTICATE;
		}
		UUID account = accountOf(authentication);
		Optional<String> secret = pendingSecret(account, session);
		if (secret.isEmpty()) {
			return "redirect:/account/security";
		}
		model.addAttribute("secret", secret.get());
		model.addAttribute("otpauthUri", otpauthUri(account, secret.get()));
		return "mfa/enrol";
	}

	@GetMapping("/account/security/totp/qr.svg")
	ResponseEntity<String> qrCode(Authentication authentication, HttpServletRequest request) {
		if (!this.recentSignIn.isRecent(authentication)) {
			// An image: answered like passkey registration, a 401 naming the page to sign in again at.
			return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
				.header("X-Reauthenticate", request.getContextPath() + "/login?reauthenticate")
				.cacheControl(CacheControl.noStore())
				.build();
		}
		UUID account = accountOf(authentication);
		Optional<String> secret = pendingSecret(account, request.getSession());
		if (secret.isEmpty()) {
			return ResponseEntity.notFound().build();
		}
		return ResponseEntity.ok()
			.contentType(MediaType.valueOf("image/svg+xml"))
			.cacheControl(CacheControl.noStore())
			.body(TotpQrCode.svg(otpauthUri(account, secret.get())));
	}

	@PostMapping("/account/security/totp/confirm")
	String confirm(Authentication authentication, @RequestParam(name = "code", defaultValue = "") String code,
			HttpServletRequest request, HttpServletResponse response, Model model) {
		if (!this.recentSignIn.isRecent(authentication)) {
			return RecentSignIn.REAUTHENTICATE;
		}
		UUID account = accountOf(authentication);
		HttpSession session = request.getSession();
		Object enrolmentId = session.getAttribute(PENDING_ENROLMENT);
		if (!(enrolmentId instanceof String id) || pendingSecret(account, session).isEmpty()) {
			// Nothing pending in this session (never started here, replaced, or expired): start again.
			return "redirect:/account/security";
		}
		Optional<List<String>> recoveryCodes = this.totp.confirm(account, id, code);
		if (recoveryCodes.isEmpty()) {
			return "redirect:/account/security/totp?error";
		}
		session.removeAttribute(PENDING_ENROLMENT);
		// The person has just shown a code from the authenticator: this session has its second factor. Setting up a
		// way to sign in is not a sign-in, though: the factor carries the time of the sign-in it is added to, so
		// that confirming never makes the session recent again (RecentSignIn) nor moves auth_time.
		if (MfaPolicy.lacksSecondFactor(authentication)) {
			addTotpFactor(authentication,
					this.recentSignIn.signedInAt(authentication).orElseGet(this.clock::instant), request, response);
		}
		model.addAttribute("recoveryCodes", recoveryCodes.get());
		Object next = request.getSession().getAttribute(SecondFactorFilter.NEXT);
		model.addAttribute("next", (next instanceof String path) ? path : "/account/security");
		request.getSession().removeAttribute(SecondFactorFilter.NEXT);
		return "mfa/recovery-codes";
	}

	@PostMapping("/account/security/totp/remove")
	String remove(Authentication authentication) {
		if (!this.recentSignIn.isRecent(authentication)) {
			return RecentSignIn.REAUTHENTICATE;
		}
		this.totp.remove(accountOf(authentication));
		return "redirect:/account/security?removed";
	}

	private Optional<String> pendingSecret(UUID account, HttpSession session) {
		return (session.getAttribute(PENDING_ENROLMENT) instanceof String id) ? this.totp.pendingSecret(account, id)
				: Optional.empty();
	}

	/**
	 * Replaces the session's authentication by the same one with the TOTP factor, issued at {@code issuedAt}, added,
	 * under a new session id.
	 */
	private void addTotpFactor(Authentication authentication, Instant issuedAt, HttpServletRequest request,
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
		this.contexts.saveContext(context, request, response);
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

	private String otpauthUri(UUID account, String secret) {
		String username = this.accounts.findById(account).map(UserAccount::username).orElse(account.toString());
		String issuer = this.properties.totpIssuer();
		return "otpauth://totp/" + encode(issuer) + ":" + encode(username) + "?secret=" + secret + "&issuer="
				+ encode(issuer) + "&algorithm=SHA1&digits=" + Totp.DIGITS + "&period=" + Totp.STEP_SECONDS;
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
	}

	private static UUID accountOf(Authentication authentication) {
		return UUID.fromString(authentication.getName());
	}

}
