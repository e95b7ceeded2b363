package dev.authserver.users;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import dev.authserver.mail.Mailer;
import dev.authserver.throttling.SignInThrottle;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.authentication.ott.OneTimeToken;
import org.springframework.security.web.authentication.ott.OneTimeTokenGenerationSuccessHandler;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Mails the magic link when the login names an enabled account with a verified address, and answers "check your mail"
 * either way, so the answer does not tell whether an account exists. Requests are throttled per address and per
 * client ({@code magic-link} door).
 */
class MagicLinkMailer implements OneTimeTokenGenerationSuccessHandler {

	private final UserAccounts accounts;

	private final AccountTokens tokens;

	private final SignInThrottle throttle;

	private final Mailer mailer;

	private final String issuer;

	private final Duration validity;

	MagicLinkMailer(UserAccounts accounts, AccountTokens tokens, SignInThrottle throttle, Mailer mailer,
			String issuer, Duration validity) {
		this.accounts = accounts;
		this.tokens = tokens;
		this.throttle = throttle;
		this.mailer = mailer;
		this.issuer = issuer;
		this.validity = validity;
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, OneTimeToken oneTimeToken)
			throws IOException {
		String login = UserAccounts.normalize(oneTimeToken.getUsername());
		if (login.isEmpty() || !this.throttle.check("magic-link", login, request.getRemoteAddr()).allowed()) {
			response.sendRedirect(request.getContextPath() + "/login/magic-link?throttled");
			return;
		}
		this.accounts.findByLogin(login)
			// Only to a verified address: a mistyped or unproven one must not become a way into the account.
			.filter((account) -> account.enabled() && account.email() != null && account.emailVerified())
			.ifPresent((account) -> {
				this.tokens.storeMagicLink(oneTimeToken.getTokenValue(), account.id(), this.validity);
				// Links are built from the configured issuer, never from the request's Host header.
				String link = UriComponentsBuilder.fromUriString(this.issuer)
					.path("/login/ott")
					.queryParam("token", oneTimeToken.getTokenValue())
					.build()
					.toUriString();
				this.mailer.send(account.email(), "Your sign-in link", "magic-link",
						Map.of("link", link, "validMinutes", Math.max(1, this.validity.toMinutes())));
			});
		response.sendRedirect(request.getContextPath() + "/check-mail");
	}

}
