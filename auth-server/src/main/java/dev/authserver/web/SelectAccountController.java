package dev.authserver.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

import dev.authserver.authorization.ReauthenticationFilter;
import jakarta.servlet.http.HttpSession;

import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The page {@code prompt=select_account} shows a signed-in person (OIDC Core 1.0 §3.1.2.1): continue as the account
 * they are signed in as, or sign in with another one.
 */
@Controller
class SelectAccountController {

	static final String PATH = ReauthenticationFilter.SELECT_ACCOUNT_PATH;

	private final AccountPageModel accountPageModel;

	private final Clock clock;

	SelectAccountController(AccountPageModel accountPageModel, Clock clock) {
		this.accountPageModel = accountPageModel;
		this.clock = clock;
	}

	@GetMapping(PATH)
	String page(@RequestParam("request") String request, HttpSession session, Model model) {
		if (ReauthenticationFilter.pendingChoice(session, request) == null) {
			// Answered already, or not one of this session's requests.
			return "redirect:/";
		}
		this.accountPageModel.addAccount(SecurityContextHolder.getContext().getAuthentication(), model);
		model.addAttribute("request", request);
		return "select-account";
	}

	/**
	 * The answer, a POST with the CSRF token: a link from another site can show the page but not answer it, and the
	 * session stays signed in either way until another sign-in succeeds (as with {@code prompt=login}).
	 */
	@PostMapping(PATH)
	String choose(@RequestParam("request") String request, @RequestParam("choice") String choice,
			HttpSession session) {
		if (!"continue".equals(choice) && !"another".equals(choice)) {
			// Encoded: the value is the client's to send, and a redirect view would expand {...} in it.
			return "redirect:" + PATH + "?request=" + URLEncoder.encode(request, StandardCharsets.UTF_8);
		}
		String resumeUrl = ReauthenticationFilter.takePendingChoice(session, request);
		if (resumeUrl == null) {
			return "redirect:/";
		}
		if ("continue".equals(choice)) {
			ReauthenticationFilter.putContinued(session, request);
		}
		else {
			ReauthenticationFilter.putForcedAt(session, request, this.clock.instant());
		}
		return "redirect:" + resumeUrl;
	}

}
