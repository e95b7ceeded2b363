package dev.authserver.federation;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.authserver.Browser;
import dev.authserver.mfa.AuthenticatorApp;
import dev.authserver.mfa.TotpCredentials;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A person who set up an authenticator app gives its code after a Google or GitHub sign-in too: a taken-over
 * provider account must not be a way around the account's second factor.
 */
class FederatedSignInMfaIntegrationTests extends FederationIntegrationTestSupport {

	@Autowired
	TotpCredentials totp;

	@Test
	void whenUserWithAuthenticatorAppSignsInWithGitHubThenTheCodeIsAskedBeforeAnyPage() {
		long gitHubId = newGitHubId();
		ProviderStandIns.GitHubUser user = ProviderStandIns.GitHubUser.withVerifiedEmail(gitHubId,
				"octo-mfa-" + gitHubId, uniqueEmail("octo-mfa"));
		signIn(new Browser(), "github", gitHub(user));
		UUID account = this.jdbc.queryForObject(
				"SELECT user_account_id FROM federated_identity WHERE registration_id = 'github' AND subject = ?",
				UUID.class, String.valueOf(gitHubId));
		TotpCredentials.PendingEnrolment enrolment = this.totp.startEnrolment(account);
		AuthenticatorApp app = new AuthenticatorApp(enrolment.secret());
		assertThat(this.totp.confirm(account, enrolment.id(), app.codeAt(Instant.now()))).isPresent();

		Browser browser = new Browser();
		signIn(browser, "github", gitHub(user));
		HttpResponse<String> held = browser.get(ISSUER + "/account");
		assertThat(held.statusCode()).isEqualTo(302);
		assertThat(Browser.location(held, ISSUER)).isEqualTo(ISSUER + "/login/totp");

		String csrf = Browser.csrfToken(Jsoup.parse(browser.get(ISSUER + "/login/totp").body()));
		HttpResponse<String> verified = browser.postForm(ISSUER + "/login/totp",
				List.of(Map.entry("code", app.codeAt(Instant.now().plusSeconds(30))), Map.entry("_csrf", csrf)));
		assertThat(Browser.location(verified, ISSUER)).isEqualTo(ISSUER + "/account");
		assertThat(browser.get(ISSUER + "/account").statusCode()).isEqualTo(200);
	}

}
