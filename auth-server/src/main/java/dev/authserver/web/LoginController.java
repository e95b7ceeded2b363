package dev.authserver.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * Our sign-in page and the page a signed-in person lands on when no application sent them.
 */
@Controller
class LoginController {

	private final AccountPageModel accountPageModel;

	private final RequestCache requestCache = new HttpSessionRequestCache();

	LoginController(AccountPageModel accountPageModel) {
		this.accountPageModel = accountPageModel;
	}

	@GetMapping("/login")
	String login(HttpServletRequest request, HttpServletResponse response, Model model) {
		model.addAttribute("loginHint", loginHint(request, response));
		return "login";
	}

	/**
	 * OIDC Core 1.0 §3.1.2.1: the {@code login_hint} of the authorization request that sent the person here, to
	 * pre-fill the username. It is shown as given and never looked up, so the page is the same whether an account
	 * has that name or not.
	 */
	private @Nullable String loginHint(HttpServletRequest request, HttpServletResponse response) {
		SavedRequest saved = this.requestCache.getRequest(request, response);
		String[] hints = (saved != null) ? saved.getParameterValues("login_hint") : null;
		if (hints == null || hints.length != 1 || hints[0].length() > 320) {
			return null;
		}
		return hints[0];
	}

	@GetMapping("/")
	String home(Model model) {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		this.accountPageModel.addAccount(authentication, model);
		return "home";
	}

}
