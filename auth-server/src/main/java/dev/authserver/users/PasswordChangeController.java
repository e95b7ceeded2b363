package dev.authserver.users;

import java.util.List;
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
 * "Change password" for a signed-in person, who proves the current password. Also where a person whose account
 * must change its password is sent after signing in ({@link PasswordChangeRequiredFilter}).
 */
@Controller
class PasswordChangeController {

	private final Passwords passwords;

	PasswordChangeController(Passwords passwords) {
		this.passwords = passwords;
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
		List<String> errors = this.passwords.change(UUID.fromString(authentication.getName()), currentPassword,
				newPassword, session.getId());
		if (!errors.isEmpty()) {
			model.addAttribute("errors", errors);
			model.addAttribute("required", PasswordChangeRequiredFilter.isRequired(session));
			return "password-change";
		}
		String next = PasswordChangeRequiredFilter.done(session);
		return "redirect:" + ((next != null) ? next : "/account/password?changed");
	}

}
