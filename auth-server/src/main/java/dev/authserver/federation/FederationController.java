package dev.authserver.federation;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.core.Authentication;
import org.springframework.security.web.savedrequest.SimpleSavedRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The pages of sign-in through a provider: "this email already has an account: sign in to connect", the page that
 * completes that link after the sign-in, and the error page.
 */
@Controller
class FederationController {

	static final String LINK_PATH = "/federation/link";

	static final String COMPLETE_LINK_PATH = "/federation/link/complete";

	static final String ERROR_PATH = "/federation/error";

	private static final Map<String, String> MESSAGES = Map.ofEntries(
			Map.entry("access_denied", "You cancelled the sign-in at the provider. Nothing was changed."),
			Map.entry("authorization_request_not_found",
					"This sign-in did not start here, or it expired. Please start again from the sign-in page."),
			Map.entry("invalid_state_parameter",
					"This sign-in did not start here, or it expired. Please start again from the sign-in page."),
			Map.entry("invalid_redirect_uri_parameter",
					"The provider's answer did not match the sign-in that was started. Please start again."),
			Map.entry("invalid_token_response",
					"The provider did not answer in time or gave an answer we could not use. Please try again later."),
			Map.entry("invalid_user_info_response",
					"The provider did not answer in time or gave an answer we could not use. Please try again later."),
			Map.entry("invalid_id_token", "The provider's answer could not be verified, so it was refused."),
			Map.entry("invalid_nonce", "The provider's answer could not be verified, so it was refused."),
			Map.entry("invalid_request", "This is not a complete answer from the provider. Please start again."),
			Map.entry(GoogleUserService.HOSTED_DOMAIN_NOT_ALLOWED,
					"This Google account is not part of an organization allowed to sign in here."),
			Map.entry("sign_up_disabled",
					"There is no account for you yet, and new accounts cannot be created here. Ask an administrator."),
			Map.entry("account_disabled", "This account cannot sign in."),
			Map.entry("linked_to_another_account",
					"That provider account is already connected to another account here, so it was not connected."),
			Map.entry("other_account_signed_in",
					"You signed in to a different account than the one with that email, so nothing was connected."));

	private static final String DEFAULT_MESSAGE = "Signing in with the provider did not work. Please try again.";

	private final FederatedSignIn signIn;

	private final Clock clock;

	FederationController(FederatedSignIn signIn, Clock clock) {
		this.signIn = signIn;
		this.clock = clock;
	}

	@GetMapping(ERROR_PATH)
	String error(@RequestParam(name = "error", required = false) String error, Model model) {
		model.addAttribute("message", MESSAGES.getOrDefault(error, DEFAULT_MESSAGE));
		return "federation-error";
	}

	@GetMapping(LINK_PATH)
	String link(HttpServletRequest request, HttpSession session, Model model) {
		PendingLink pending = (PendingLink) session.getAttribute(PendingLink.SESSION_ATTRIBUTE);
		if (pending == null) {
			return "redirect:/login";
		}
		// Again here, in case a visit to another page replaced it: the sign-in below must land on the completion.
		session.setAttribute(FederatedIdentityAuthenticationSuccessHandler.SAVED_REQUEST,
				new SimpleSavedRequest(request.getContextPath() + COMPLETE_LINK_PATH));
		model.addAttribute("provider", label(pending.identity().registrationId()));
		model.addAttribute("email", pending.identity().verifiedEmail());
		return "federation-link";
	}

	/** Where the sign-in to the matched account lands: the pending identity is linked to it, and only to it. */
	@GetMapping(COMPLETE_LINK_PATH)
	String completeLink(Authentication authentication, HttpServletRequest request) {
		HttpSession session = request.getSession();
		PendingLink pending = (PendingLink) session.getAttribute(PendingLink.SESSION_ATTRIBUTE);
		session.removeAttribute(PendingLink.SESSION_ATTRIBUTE);
		if (pending == null) {
			return "redirect:/";
		}
		if (pending.createdAt().plus(PendingLink.LIFETIME).isBefore(this.clock.instant())) {
			// Too old to count as the same visit: the person can still connect from the account page.
			return "redirect:" + pending.continueUrl();
		}
		UUID signedIn = UUID.fromString(authentication.getName());
		if (!signedIn.equals(pending.userAccountId())) {
			this.signIn.refuseProof(pending.identity(), signedIn, request.getRemoteAddr());
			return "redirect:" + ERROR_PATH + "?error=other_account_signed_in";
		}
		FederatedSignIn.Outcome outcome = this.signIn.completeProof(pending.identity(), signedIn,
				request.getRemoteAddr());
		if (outcome.result() != FederatedSignIn.Result.CONNECTED) {
			return "redirect:" + ERROR_PATH + "?error=" + errorCode(outcome.result());
		}
		return "redirect:" + pending.continueUrl();
	}

	static String label(String registrationId) {
		return FederationConfiguration.GOOGLE.equals(registrationId) ? "Google" : "GitHub";
	}

	static String errorCode(FederatedSignIn.Result result) {
		return switch (result) {
			case SIGN_UP_DISABLED -> "sign_up_disabled";
			case ACCOUNT_DISABLED -> "account_disabled";
			case LINKED_TO_ANOTHER_ACCOUNT -> "linked_to_another_account";
			default -> "server_error";
		};
	}

}
