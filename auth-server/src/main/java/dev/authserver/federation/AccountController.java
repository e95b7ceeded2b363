package dev.authserver.federation;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.authserver.mfa.RecentSignIn;
import dev.authserver.users.UserAccount;
import dev.authserver.users.UserAccounts;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * The signed-in person's account page: their profile and the providers connected to it, with "connect" and
 * "disconnect".
 */
@Controller
class AccountController {

	private final UserAccounts accounts;

	private final FederatedIdentities identities;

	private final FederatedClientRegistrations registrations;

	private final Clock clock;

	private final RecentSignIn recentSignIn;

	AccountController(UserAccounts accounts, FederatedIdentities identities,
			FederatedClientRegistrations registrations, Clock clock, RecentSignIn recentSignIn) {
		this.recentSignIn = recentSignIn;
		this.accounts = accounts;
		this.identities = identities;
		this.registrations = registrations;
		this.clock = clock;
	}

	@GetMapping("/account")
	String account(Authentication authentication, Model model) {
		UUID id = accountId(authentication);
		UserAccount account = this.accounts.findById(id).orElse(null);
		if (account == null) {
			return "redirect:/login";
		}
		List<FederatedIdentity> connected = this.identities.of(id);
		model.addAttribute("account", account);
		model.addAttribute("connected", connected.stream()
			.map((identity) -> new ConnectedProvider(identity.id(),
					FederationController.label(identity.registrationId()),
					(identity.login() != null) ? identity.login() : identity.email(), identity.linkedAt(),
					identity.lastLoginAt()))
			.toList());
		model.addAttribute("connectable", this.registrations.offered()
			.stream()
			.filter((registrationId) -> connected.stream().noneMatch((i) -> i.registrationId().equals(registrationId)))
			.map((registrationId) -> new Provider(registrationId, FederationController.label(registrationId)))
			.toList());
		return "account";
	}

	@PostMapping("/account/connect/{registrationId}")
	String connect(@PathVariable String registrationId, Authentication authentication, HttpServletRequest request) {
		Instant signedInAt = this.recentSignIn.signedInAt(authentication).orElse(null);
		if (signedInAt == null || !this.recentSignIn.isRecent(signedInAt)) {
			return RecentSignIn.REAUTHENTICATE;
		}
		if (!this.registrations.isOffered(registrationId)) {
			return "redirect:/account";
		}
		request.getSession()
			.setAttribute(ConnectRequest.SESSION_ATTRIBUTE, new ConnectRequest(accountId(authentication),
					registrationId, this.clock.instant(), signedInAt));
		return "redirect:/oauth2/authorization/" + registrationId;
	}

	@PostMapping("/account/disconnect/{identityId}")
	String disconnect(@PathVariable UUID identityId, Authentication authentication, HttpServletRequest request) {
		if (!this.recentSignIn.isRecent(authentication)) {
			return RecentSignIn.REAUTHENTICATE;
		}
		boolean unlinked = this.identities.unlink(accountId(authentication), identityId, request.getRemoteAddr());
		return unlinked ? "redirect:/account?disconnected" : "redirect:/account?refused=last-method";
	}

	private static UUID accountId(Authentication authentication) {
		return UUID.fromString(authentication.getName());
	}

	/** A row of the connected providers table. */
	record ConnectedProvider(UUID id, String provider, @Nullable String account, Instant linkedAt,
			Instant lastLoginAt) {
	}

	/** A provider the person can still connect. */
	record Provider(String registrationId, String label) {
	}

}
