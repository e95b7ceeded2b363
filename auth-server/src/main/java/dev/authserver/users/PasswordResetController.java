package dev.authserver.users;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.authserver.AuthServerProperties;
import dev.authserver.mail.Mailer;
import dev.authserver.throttling.SignInThrottle;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Password reset by mailed link. The request answers "check your mail" whether or not the address has an account,
 * and the mail is sent off the request thread, so neither the answer nor its timing tells.
 * <p>
 * A reset also shows the account's other ways to sign in (connected providers, passkeys, authenticator app), each
 * with the day it was added, in the mail and on the page, and removes the chosen ones in the same step: otherwise a
 * way in that someone else added (a GitHub account connected while they had a session) would survive the reset that
 * ended their sessions.
 */
@Controller
class PasswordResetController {

	private final UserAccounts accounts;

	private final AccountTokens tokens;

	private final Passwords passwords;

	private final OtherSignInMethods otherMethods;

	private final SignInThrottle throttle;

	private final Mailer mailer;

	private final UsersProperties properties;

	private final AuthServerProperties server;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	PasswordResetController(UserAccounts accounts, AccountTokens tokens, Passwords passwords,
			OtherSignInMethods otherMethods, SignInThrottle throttle, Mailer mailer, UsersProperties properties,
			AuthServerProperties server, Clock clock, ApplicationEventPublisher events) {
		this.accounts = accounts;
		this.tokens = tokens;
		this.passwords = passwords;
		this.otherMethods = otherMethods;
		this.throttle = throttle;
		this.mailer = mailer;
		this.properties = properties;
		this.server = server;
		this.clock = clock;
		this.events = events;
	}

	@GetMapping("/password/forgot")
	String forgotForm() {
		return "password-forgot";
	}

	@PostMapping("/password/forgot")
	String forgot(@RequestParam(defaultValue = "") String email, HttpServletRequest request, Model model) {
		String address = UserAccounts.normalize(email);
		if (address.isEmpty() || address.length() > 320) {
			model.addAttribute("errors", List.of("Enter the email address of your account."));
			return "password-forgot";
		}
		if (!this.throttle.check("password-reset", address, request.getRemoteAddr()).allowed()) {
			model.addAttribute("errors", List.of("Too many reset requests. Please try again later."));
			return "password-forgot";
		}
		this.accounts.findByLogin(address)
			// Only to a verified address: a mistyped or unproven one must not become a way into the account.
			.filter((account) -> account.enabled() && account.email() != null && account.emailVerified())
			.ifPresent((account) -> {
				String token = this.tokens.issuePasswordReset(account.id(), this.properties.resetLinkValidity());
				String link = UriComponentsBuilder.fromUriString(this.server.issuer())
					.path("/password/reset")
					.queryParam("token", token)
					.build()
					.toUriString();
				// Listed in the mail too, so that the owner learns of a way in they did not add even if they never
				// follow the link. Descriptions and days only, never a secret.
				this.mailer.send(account.email(), "Reset your password", "password-reset",
						Map.of("link", link, "validMinutes", this.properties.resetLinkValidity().toMinutes(),
								"methods", this.otherMethods.of(account.id())));
				this.events.publishEvent(
						new PasswordResetRequested(account.id(), request.getRemoteAddr(), this.clock.instant()));
			});
		return "redirect:/check-mail";
	}

	@GetMapping("/password/reset")
	String resetForm(@RequestParam(defaultValue = "") String token, Model model) {
		UUID userAccountId = this.tokens.findPasswordReset(token).orElse(null);
		if (userAccountId == null) {
			return invalidLink(model);
		}
		return resetPage(model, token, userAccountId, List.of());
	}

	/**
	 * Sets the new password, then removes the other ways to sign in the person chose (or all of them a reset may
	 * remove), each audited by its feature.
	 * @param remove ids of {@link SignInMethods.SignInMethod}s listed on the page
	 * @param removeAll remove every way to sign in a reset may remove
	 */
	@PostMapping("/password/reset")
	String reset(@RequestParam(defaultValue = "") String token, @RequestParam(defaultValue = "") String password,
			@RequestParam(defaultValue = "") List<String> remove,
			@RequestParam(defaultValue = "false") boolean removeAll, HttpServletRequest request, Model model) {
		UserAccount account = this.tokens.findPasswordReset(token).flatMap(this.accounts::findById).orElse(null);
		if (account == null) {
			return invalidLink(model);
		}
		// Checked before the token is used, so that a rejected password does not cost the person their link.
		List<String> errors = this.passwords.violations(account, password);
		if (!errors.isEmpty()) {
			return resetPage(model, token, account.id(), errors);
		}
		UUID userAccountId = this.tokens.usePasswordReset(token).orElse(null);
		if (userAccountId == null) {
			return invalidLink(model);
		}
		this.passwords.reset(userAccountId, password);
		// After the password is set: with it the account keeps a way in, whatever else is removed (rule 6).
		this.otherMethods.remove(userAccountId, remove, removeAll, request.getRemoteAddr());
		return "redirect:/login?reset";
	}

	private String resetPage(Model model, String token, UUID userAccountId, List<String> errors) {
		model.addAttribute("token", token);
		model.addAttribute("methods", this.otherMethods.of(userAccountId));
		if (!errors.isEmpty()) {
			model.addAttribute("errors", errors);
		}
		return "password-reset";
	}

	private String invalidLink(Model model) {
		model.addAttribute("title", "This link is not valid");
		model.addAttribute("message", "The link has expired, was used already, or your password changed since. "
				+ "Ask for a new one if you still need it.");
		return "account-message";
	}

}
