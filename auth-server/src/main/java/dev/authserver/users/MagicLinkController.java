package dev.authserver.users;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * The magic link pages: ask for a link, and the page the link opens, whose button signs in (a GET only shows it, so
 * mail scanners that prefetch links do not use up the token). Off unless
 * {@code authserver.users.magic-link-enabled}.
 */
@Controller
class MagicLinkController {

	private final UsersProperties properties;

	MagicLinkController(UsersProperties properties) {
		this.properties = properties;
	}

	@GetMapping("/login/magic-link")
	String request() {
		requireEnabled();
		return "magic-link";
	}

	@GetMapping("/login/ott")
	String signInPage(@RequestParam(defaultValue = "") String token, Model model) {
		requireEnabled();
		model.addAttribute("token", token);
		return "magic-link-sign-in";
	}

	private void requireEnabled() {
		if (!this.properties.magicLinkEnabled()) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND);
		}
	}

}
