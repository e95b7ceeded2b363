package dev.authserver.demo.web;

import dev.authserver.demo.DemoClientProperties;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.WebAttributes;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The public home page: what Acme Notes is, and the way in (or, once signed in, the way to the profile).
 */
@Controller
class HomeController {

	private final DemoClientProperties properties;

	HomeController(DemoClientProperties properties) {
		this.properties = properties;
	}

	@GetMapping("/")
	String home(@AuthenticationPrincipal @Nullable OidcUser user, HttpServletRequest request, Model model) {
		model.addAttribute("issuer", this.properties.issuer());
		model.addAttribute("showFederatedButtons", this.properties.showFederatedButtons());
		// getSession(false): a visitor who only reads the home page gets no session and no cookie
		HttpSession session = request.getSession(false);
		if (user == null && session != null) {
			model.addAttribute("problem", signInProblem(session));
		}
		return "index";
	}

	// The failure handler of oauth2Login leaves the exception in the session and sends the browser to /?error
	private static @Nullable String signInProblem(HttpSession session) {
		Object exception = session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
		if (exception == null) {
			return null;
		}
		session.removeAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
		if (!(exception instanceof OAuth2AuthenticationException oauth2Exception)) {
			return "Sign-in did not complete. Please try again.";
		}
		OAuth2Error error = oauth2Exception.getError();
		return switch (error.getErrorCode()) {
			case "access_denied" -> "Sign-in was cancelled or access was denied at the authorization server.";
			case "authorization_request_not_found" -> "Sign-in could not be matched to this browser session "
					+ "(it started elsewhere, or the session cookie was lost). Please try again.";
			default -> "Sign-in did not complete: " + error.getErrorCode()
					+ ((error.getDescription() != null) ? " (" + error.getDescription() + ")" : "") + ".";
		};
	}

}
