package dev.authserver.users;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.authserver.AuthServerProperties;
import dev.authserver.mail.Mailer;
import dev.authserver.throttling.SignInThrottle;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Sign-up with email verification. The account is created only when the person follows the link we mailed, so no
 * account exists for an address nobody proved to own, and an unverified account can never sign in.
 * <p>
 * The password is chosen on the verification page, by whoever follows the link, never when the account is asked
 * for: otherwise someone who asks for an account at another person's address, with a password of their own, would
 * get in as soon as the owner follows the link (pre-account takeover).
 * <p>
 * The answer never tells whether an address has an account: a sign-up with a known address answers "check your
 * mail" like any other, and the owner gets a mail saying they already have an account. Both cases look the address
 * up and hand one mail to the sender thread (a new address adds one small insert), so the timing does not tell
 * either; no password is hashed on this request any more.
 */
@Controller
class SignUpController {

	// A plausible address; deliverability is proven by the link, not by a pattern.
	private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");

	// Usernames are the address for self-registered accounts, and the username column holds 100 characters.
	private static final int MAX_EMAIL_LENGTH = 100;

	private final UsersProperties properties;

	private final UserAccounts accounts;

	private final AccountTokens tokens;

	private final PasswordPolicy policy;

	private final SignInThrottle throttle;

	private final Mailer mailer;

	private final AuthServerProperties server;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	SignUpController(UsersProperties properties, UserAccounts accounts, AccountTokens tokens, PasswordPolicy policy,
			SignInThrottle throttle, Mailer mailer, AuthServerProperties server, Clock clock,
			ApplicationEventPublisher events) {
		this.properties = properties;
		this.accounts = accounts;
		this.tokens = tokens;
		this.policy = policy;
		this.throttle = throttle;
		this.mailer = mailer;
		this.server = server;
		this.clock = clock;
		this.events = events;
	}

	@GetMapping("/signup")
	String form() {
		requireSignUpEnabled();
		return "sign-up";
	}

	// No password here: it is chosen on the verification page, by whoever proves they read the address's mail.
	@PostMapping("/signup")
	String signUp(@RequestParam(defaultValue = "") String email, @RequestParam(defaultValue = "") String name,
			HttpServletRequest request, Model model) {
		requireSignUpEnabled();
		String address = UserAccounts.normalize(email);
		String displayName = name.strip();
		List<String> errors = new ArrayList<>();
		if (address.length() > MAX_EMAIL_LENGTH || !EMAIL.matcher(address).matches()) {
			errors.add("Enter a valid email address (at most " + MAX_EMAIL_LENGTH + " characters).");
		}
		errors.addAll(nameViolations(displayName));
		if (errors.isEmpty() && !this.throttle.check("sign-up", address, request.getRemoteAddr()).allowed()) {
			errors.add("Too many sign-up requests. Please try again later.");
		}
		if (!errors.isEmpty()) {
			model.addAttribute("errors", errors);
			model.addAttribute("email", email);
			model.addAttribute("name", name);
			return "sign-up";
		}
		if (this.accounts.isTaken(address)) {
			this.mailer.send(address, "You already have an account", "sign-up-existing",
					Map.of("resetLink", link("/password/forgot", null)));
		}
		else {
			// Two sign-ups for one address get two links to the same mailbox: either one completes the account, and
			// whoever follows it chooses the password, so a second request cannot take over the first one's account.
			String token = this.tokens.issueSignUp(address, displayName.isEmpty() ? null : displayName,
					this.properties.verificationLinkValidity());
			this.mailer.send(address, "Confirm your email address", "sign-up-verify",
					Map.of("link", link("/signup/verify", token), "validHours",
							Math.max(1, this.properties.verificationLinkValidity().toHours())));
		}
		return "redirect:/check-mail";
	}

	// A GET only shows the form: mail scanners that prefetch links must not use up the token.
	@GetMapping("/signup/verify")
	String verifyForm(@RequestParam(defaultValue = "") String token, Model model) {
		AccountTokens.PendingSignUp pending = this.tokens.findSignUp(token).orElse(null);
		if (pending == null) {
			return invalidLink(model);
		}
		return verifyPage(model, token, pending.email(), (pending.name() != null) ? pending.name() : "", List.of());
	}

	/**
	 * Completes a sign-up: the person who followed the link (and so reads the address's mail) chooses the password
	 * and may correct the name asked for with the address. Policy violations are checked before the token is used,
	 * so that a rejected password does not cost the person their link.
	 */
	@PostMapping("/signup/verify")
	String verify(@RequestParam(defaultValue = "") String token, @RequestParam(defaultValue = "") String name,
			@RequestParam(defaultValue = "") String password, HttpServletRequest request, Model model) {
		AccountTokens.PendingSignUp found = this.tokens.findSignUp(token).orElse(null);
		if (found == null) {
			return invalidLink(model);
		}
		String displayName = name.strip();
		List<String> errors = new ArrayList<>(nameViolations(displayName));
		errors.addAll(this.policy.violations(password, found.email(), displayName));
		if (!errors.isEmpty()) {
			return verifyPage(model, token, found.email(), name, errors);
		}
		AccountTokens.PendingSignUp pending = this.tokens.useSignUp(token).orElse(null);
		if (pending == null) {
			return invalidLink(model);
		}
		if (this.accounts.isTaken(pending.email())) {
			return "redirect:/login?verified";
		}
		UserAccount account;
		try {
			account = this.accounts.createVerified(pending.email(), displayName.isEmpty() ? null : displayName,
					password);
		}
		catch (DataIntegrityViolationException ex) {
			// The same address was verified twice at once: one account, and the other link just leads to sign-in.
			return "redirect:/login?verified";
		}
		// The other links to this address are worthless now; removing them keeps the table honest.
		this.tokens.revokeSignUps(pending.email());
		this.events.publishEvent(new UserRegistered(account.id(), request.getRemoteAddr(), this.clock.instant()));
		this.events.publishEvent(new UserEmailVerified(account.id(), this.clock.instant()));
		return "redirect:/login?verified";
	}

	private String verifyPage(Model model, String token, String email, String name, List<String> errors) {
		model.addAttribute("token", token);
		model.addAttribute("email", email);
		model.addAttribute("name", name);
		if (!errors.isEmpty()) {
			model.addAttribute("errors", errors);
		}
		return "sign-up-verify";
	}

	private static List<String> nameViolations(String displayName) {
		return (displayName.length() > 200) ? List.of("Use at most 200 characters for your name.") : List.of();
	}

	@GetMapping("/check-mail")
	String checkMail() {
		return "check-mail";
	}

	private String invalidLink(Model model) {
		model.addAttribute("title", "This link is not valid");
		model.addAttribute("message",
				"The link has expired or was used already. Links in our mails work once, for a limited time.");
		return "account-message";
	}

	// Links are built from the configured issuer, never from the request's Host header.
	private String link(String path, @Nullable String token) {
		UriComponentsBuilder link = UriComponentsBuilder.fromUriString(this.server.issuer()).path(path);
		if (token != null) {
			link.queryParam("token", token);
		}
		return link.build().toUriString();
	}

	private void requireSignUpEnabled() {
		if (!this.properties.signUpEnabled()) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND);
		}
	}

}
