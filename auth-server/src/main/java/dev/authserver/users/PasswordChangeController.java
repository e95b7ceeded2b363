package dev.authserver.users;

import java.util.List;
import java.util.UUID;

import dev.authserver.throttling.SignInThrottle;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * "Change password" for a signed-in person, who proves the current password. Also where a person whose account
 * must change its password is sent after signing in ({@link PasswordChangeRequiredFilter}).
 */
@Controller
class PasswordChangeController {

	private final Passwords passwords;

	private final SignInThrottle throttle;

	private final UserAccounts accounts;

	PasswordChangeController(Passwords passwords, SignInThrottle throttle, UserAccounts accounts) {
		this.passwords = passwords;
		this.throttle = throttle;
		this.accounts = accounts;
	}

	@GetMapping("/account/password")
	String form(HttpSession session, Model model) {
		model.addAttribute("required", PasswordChangeRequiredFilter.isRequired(session));
		return "password-change";
	}

	@PostMapping("/account/password")
	String change(@RequestParam(defaultValue = "") String currentPassword,
			@RequestParam(defaultValue = "") String newPassword, Authentication authentication,
			HttpServletRequest request, Model model) {
		HttpSession session = request.getSession();
		String userAccountId = authentication.getName();
		// The new password's policy first: its answer says nothing about the current password, so it is not counted.
		List<String> errors = this.accounts.findById(UUID.fromString(userAccountId))
			.map((account) -> this.passwords.violations(account, newPassword))
			.orElse(List.of());
		// The current password is a credential check like the sign-in form's: same door, same counts.
		if (errors.isEmpty()
				&& !this.throttle.check(PasswordSignInFilter.DOOR, userAccountId, request.getRemoteAddr()).allowed()) {
			errors = List.of("Too many attempts. Wait a little and try again.");
		}
		if (errors.isEmpty()) {
			errors = this.passwords.change(UUID.fromString(userAccountId), currentPassword, newPassword,
					session.getId());
		}
		if (!errors.isEmpty()) {
			model.addAttribute("errors", errors);
			model.addAttribute("required", PasswordChangeRequiredFilter.isRequired(session));
			return "password-change";
		}
		this.throttle.recordSuccess(PasswordSignInFilter.DOOR, userAccountId, request.getRemoteAddr());
		String next = PasswordChangeRequiredFilter.done(session);
		return "redirect:" + ((next != null) ? next : "/account/password?changed");
	}

}
