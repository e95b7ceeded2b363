package dev.authserver.web;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Our sign-in page and the page a signed-in person lands on when no application sent them.
 */
@Controller
class LoginController {

	private final AccountPageModel accountPageModel;

	LoginController(AccountPageModel accountPageModel) {
		this.accountPageModel = accountPageModel;
	}

	@GetMapping("/login")
	String login() {
		return "login";
	}

	@GetMapping("/")
	String home(Model model) {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		this.accountPageModel.addAccount(authentication, model);
		return "home";
	}

}
