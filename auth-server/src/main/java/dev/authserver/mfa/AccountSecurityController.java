package dev.authserver.mfa;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.authserver.users.UserAccount;
import dev.authserver.users.UserAccounts;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The account security page, where a person sets up or removes their authenticator and removes passkeys; each change
 * needs a recent sign-in.
 */
@Controller
class AccountSecurityController {

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

	private final RecentSignIn recentSignIn;

	AccountSecurityController(TotpCredentials totp, MfaPolicy policy, MfaProperties properties, UserAccounts accounts,
			Passkeys passkeys, Clock clock, RecentSignIn recentSignIn) {
		this.totp = totp;
		this.policy = policy;
		this.properties = properties;
		this.accounts = accounts;
		this.passkeys = passkeys;
		this.clock = clock;
		this.recentSignIn = recentSignIn;
	}

	@GetMapping("/account/security")
	String security(Authentication authentication, Model model) {
		UUID account = SecondFactorController.accountOf(authentication);
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
		if (!this.passkeys.remove(SecondFactorController.accountOf(authentication), credentialId)) {
			return "redirect:/account/security";
		}
		return "redirect:/account/security?passkeyRemoved";
	}

	@PostMapping("/account/security/totp/start")
	String start(Authentication authentication, HttpSession session) {
		if (!this.recentSignIn.isRecent(authentication)) {
			return RecentSignIn.REAUTHENTICATE;
		}
		UUID account = SecondFactorController.accountOf(authentication);
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
		UUID account = SecondFactorController.accountOf(authentication);
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
		UUID account = SecondFactorController.accountOf(authentication);
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
		UUID account = SecondFactorController.accountOf(authentication);
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
			SecondFactorController.addTotpFactor(authentication,
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
		this.totp.remove(SecondFactorController.accountOf(authentication));
		return "redirect:/account/security?removed";
	}

	private Optional<String> pendingSecret(UUID account, HttpSession session) {
		return (session.getAttribute(PENDING_ENROLMENT) instanceof String id) ? this.totp.pendingSecret(account, id)
				: Optional.empty();
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

}
