package dev.authserver.sessions;

import java.util.UUID;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The signed-in person's sessions and the applications they consented to: end a session, withdraw a consent.
 */
@Controller
class SessionsController {

	private final UserSessions sessions;

	private final UserConsents consents;

	SessionsController(UserSessions sessions, UserConsents consents) {
		this.sessions = sessions;
		this.consents = consents;
	}

	@GetMapping("/account/sessions")
	String page(Authentication authentication, HttpServletRequest request, Model model) {
		UUID account = accountOf(authentication);
		HttpSession session = request.getSession(false);
		model.addAttribute("sessions", this.sessions.list(account, (session != null) ? session.getId() : null));
		model.addAttribute("apps", this.consents.list(account));
		return "account/sessions";
	}

	@PostMapping("/account/sessions/end")
	String end(Authentication authentication, @RequestParam(name = "session", defaultValue = "") String handle) {
		if (handle.isBlank() || !this.sessions.end(accountOf(authentication), handle)) {
			return "redirect:/account/sessions?unknown";
		}
		return "redirect:/account/sessions?ended";
	}

	@PostMapping("/account/sessions/withdraw")
	String withdraw(Authentication authentication,
			@RequestParam(name = "client_id", defaultValue = "") String clientId) {
		if (clientId.isBlank() || clientId.length() > 200
				|| !this.consents.withdraw(accountOf(authentication), clientId)) {
			return "redirect:/account/sessions?unknown";
		}
		return "redirect:/account/sessions?withdrawn";
	}

	// Every way of signing in names the principal by the account id (users.UserAccountDetailsService).
	private static UUID accountOf(Authentication authentication) {
		return UUID.fromString(authentication.getName());
	}

}
