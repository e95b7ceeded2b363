package dev.authserver.sessions;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import dev.authserver.sessions.RpInitiatedLogout.PendingLogout;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.logout.SecurityContextLogoutHandler;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * The pages of an RP-initiated logout without {@code id_token_hint} ({@link RpInitiatedLogout}): "Sign out?" with
 * the application that asked, the signing out itself (a CSRF-protected form post: only the person's click ends the
 * session), and "You are signed out".
 */
@Controller
class LogoutController {

	private final SecurityContextLogoutHandler logoutHandler = new SecurityContextLogoutHandler();

	private final RpInitiatedLogout rpInitiatedLogout;

	LogoutController(RpInitiatedLogout rpInitiatedLogout) {
		this.rpInitiatedLogout = rpInitiatedLogout;
	}

	@GetMapping(RpInitiatedLogout.CONFIRMATION_PAGE)
	String confirmation(HttpServletRequest request, Model model) {
		if (!RpInitiatedLogout.signedIn(SecurityContextHolder.getContext().getAuthentication())) {
			return "redirect:" + RpInitiatedLogout.SIGNED_OUT_PAGE;
		}
		PendingLogout pending = pending(request);
		model.addAttribute("clientName", (pending != null) ? pending.clientName() : null);
		return "logout-confirm";
	}

	@PostMapping(RpInitiatedLogout.CONFIRMATION_PAGE)
	void signOut(HttpServletRequest request, HttpServletResponse response) throws IOException {
		PendingLogout pending = pending(request);
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (RpInitiatedLogout.signedIn(authentication)) {
			this.logoutHandler.logout(request, response, authentication);
			this.rpInitiatedLogout.signedOut(request, authentication, (pending != null) ? pending.clientId() : null,
					false);
		}
		// The redirect URI was checked against the client's registration when the request came in. Sent as it is
		// (not a "redirect:" view, which would expand URI template variables in it).
		response.sendRedirect((pending != null) ? RpInitiatedLogout.target(request, pending)
				: request.getContextPath() + RpInitiatedLogout.SIGNED_OUT_PAGE);
	}

	@GetMapping(RpInitiatedLogout.SIGNED_OUT_PAGE)
	String signedOut() {
		return "signed-out";
	}

	private static @Nullable PendingLogout pending(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		return (session != null && session.getAttribute(RpInitiatedLogout.PENDING) instanceof PendingLogout pending)
				? pending : null;
	}

}
