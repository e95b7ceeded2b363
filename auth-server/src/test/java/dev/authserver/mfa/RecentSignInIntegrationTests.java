package dev.authserver.mfa;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.authserver.AuthServerApplication;
import dev.authserver.Browser;
import dev.authserver.IntegrationTestSupport;
import dev.authserver.TestUserAccounts;
import dev.authserver.users.UserAccounts;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Changing how one signs in (authenticator app, passkeys, Google/GitHub) needs a recent sign-in, not just a session:
 * on a server where "recent" means 2 seconds, an older session is sent to sign in again, and a fresh one may.
 */
class RecentSignInIntegrationTests extends IntegrationTestSupport {

	private static final int PORT = freePort();

	private static final String SERVER = "http://localhost:" + PORT;

	private static ConfigurableApplicationContext server;

	@BeforeAll
	static void startServerWithAShortWindow() {
		server = new SpringApplicationBuilder(AuthServerApplication.class).profiles("test")
			.run("--server.port=" + PORT, "--authserver.issuer=" + SERVER, "--authserver.mfa.recent-sign-in=PT2S");
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Test
	void whenSessionIsOlderThanTheWindowThenChangingSignInMethodsNeedsASignInAgain() throws Exception {
		TestUserAccounts.Created user = TestUserAccounts.userAccount().create(server.getBean(UserAccounts.class));
		Browser browser = new Browser();
		browser.signIn(SERVER, user.username(), user.password());
		Thread.sleep(2500);

		assertThat(Browser.location(startTotp(browser), SERVER)).isEqualTo(SERVER + "/login?reauthenticate");
		assertThat(browser.get(SERVER + "/login?reauthenticate").body()).contains("To change how you sign in");
		assertThat(server.getBean(TotpCredentials.class).isEnrolled(user.account().id())).isFalse();
		assertThat(server.getBean(JdbcTemplate.class)
			.queryForObject("SELECT count(*) FROM mfa_totp WHERE user_account_id = ?", Integer.class,
					user.account().id())).isZero();
		String csrf = Browser.csrfToken(Jsoup.parse(browser.get(SERVER + "/account/security").body()));
		HttpResponse<String> disconnect = browser.postForm(SERVER + "/account/disconnect/" + UUID.randomUUID(),
				List.of(Map.entry("_csrf", csrf)));
		assertThat(Browser.location(disconnect, SERVER)).isEqualTo(SERVER + "/login?reauthenticate");
		HttpResponse<String> passkeyOptions = browser.postJson(SERVER + "/webauthn/register/options", "{}", csrf);
		assertThat(passkeyOptions.statusCode()).isEqualTo(401);
		assertThat(passkeyOptions.headers().firstValue("X-Reauthenticate")).contains("/login?reauthenticate");

		// Signing in again makes the change possible.
		browser.signIn(SERVER, user.username(), user.password());
		String freshCsrf = Browser.csrfToken(Jsoup.parse(browser.get(SERVER + "/account/security").body()));
		assertThat(browser.postJson(SERVER + "/webauthn/register/options", "{}", freshCsrf).statusCode())
			.isEqualTo(200);
		assertThat(Browser.location(startTotp(browser), SERVER)).isEqualTo(SERVER + "/account/security/totp");
	}

	private static HttpResponse<String> startTotp(Browser browser) {
		Document security = Jsoup.parse(browser.get(SERVER + "/account/security").body());
		return browser.postForm(SERVER + "/account/security/totp/start",
				Browser.formFields(security.getElementById("totp-start")));
	}

}
