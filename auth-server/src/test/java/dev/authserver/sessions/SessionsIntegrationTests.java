package dev.authserver.sessions;

import java.net.http.HttpResponse;
import java.time.Instant;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import dev.authserver.Browser;
import dev.authserver.IntegrationTestSupport;
import dev.authserver.OidcTestClient;
import dev.authserver.TestRegisteredClients;
import dev.authserver.TestUserAccounts;
import dev.authserver.users.UserPasswordChanged;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions in the database: a password change ends the user's other sessions, the sessions page lists and ends
 * sessions, and withdrawing consent revokes the application's tokens.
 */
class SessionsIntegrationTests extends IntegrationTestSupport {

	@Autowired
	private ApplicationEventPublisher events;

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void whenPasswordChangedThenEveryOtherSessionOfTheUserEnds() {
		TestUserAccounts.Created user = newUser();
		TestUserAccounts.Created someoneElse = newUser();
		Browser first = signedIn(user);
		Browser second = signedIn(user);
		Browser changer = signedIn(user);
		Browser other = signedIn(someoneElse);

		this.events.publishEvent(new UserPasswordChanged(user.account().id(), "changed", sessionIdOf(changer),
				Instant.now()));

		assertSignedOut(first);
		assertSignedOut(second);
		assertSignedIn(changer, user);
		assertSignedIn(other, someoneElse);
		assertThat(auditCount(user, "session.ended")).isEqualTo(2);
	}

	@Test
	void whenPasswordResetWithoutSessionToKeepThenEverySessionEnds() {
		TestUserAccounts.Created user = newUser();
		Browser browser = signedIn(user);

		this.events.publishEvent(new UserPasswordChanged(user.account().id(), "reset", null, Instant.now()));

		assertSignedOut(browser);
	}

	@Test
	void whenUserEndsAnotherSessionOnSessionsPageThenThatBrowserIsSignedOut() {
		TestUserAccounts.Created user = newUser();
		Browser phone = signedIn(user);
		Browser laptop = signedIn(user);

		Document page = Jsoup.parse(laptop.get(ISSUER + "/account/sessions").body());
		assertThat(page.select("#sessions li.session")).hasSize(2);
		assertThat(page.select(".current-session")).hasSize(1);
		// The page names sessions by a digest, never by the session id (which is the cookie value).
		assertThat(page.html()).doesNotContain(sessionIdOf(phone)).doesNotContain(sessionIdOf(laptop));
		Element otherSession = page.select("#sessions li.session")
			.stream()
			.filter((item) -> item.selectFirst(".current-session") == null)
			.findFirst()
			.orElseThrow();
		HttpResponse<String> ended = laptop.postForm(ISSUER + "/account/sessions/end",
				Browser.formFields(otherSession.selectFirst("form")));

		assertThat(Browser.location(ended, ISSUER)).isEqualTo(ISSUER + "/account/sessions?ended");
		assertSignedOut(phone);
		assertSignedIn(laptop, user);
		assertThat(auditCount(user, "session.ended")).isEqualTo(1);
	}

	@Test
	void whenSessionHandleIsUnknownOrForeignThenNothingEnds() {
		TestUserAccounts.Created user = newUser();
		TestUserAccounts.Created victim = newUser();
		Browser attacker = signedIn(user);
		Browser victimBrowser = signedIn(victim);
		String victimHandle = UserSessions.handleOf(sessionIdOf(victimBrowser));

		for (String handle : java.util.List.of(victimHandle, "nope", "")) {
			HttpResponse<String> response = attacker.postForm(ISSUER + "/account/sessions/end",
					java.util.List.of(java.util.Map.entry("session", handle),
							java.util.Map.entry("_csrf", csrfOf(attacker))));
			assertThat(Browser.location(response, ISSUER)).isEqualTo(ISSUER + "/account/sessions?unknown");
		}
		assertSignedIn(victimBrowser, victim);
	}

	@Test
	void whenUserWithdrawsConsentThenTheAppsTokensAreRevoked() {
		TestUserAccounts.Created user = newUser();
		RegisteredClient client = save(TestRegisteredClients.confidentialClient().clientName("Photo Printer"));
		OidcTestClient rp = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
		Browser browser = new Browser();
		OidcTestClient.Authorized authorized = rp.authorize(browser, TestRegisteredClients.REDIRECT_URI,
				"openid profile", user);
		RefreshToken refreshToken = OidcTestClient.success(rp.exchange(authorized.code(), authorized.request()))
			.getOIDCTokens()
			.getRefreshToken();

		Document page = Jsoup.parse(browser.get(ISSUER + "/account/sessions").body());
		Element app = page.selectFirst("#apps li.app");
		assertThat(app).isNotNull();
		assertThat(app.text()).contains("Photo Printer").contains("profile");
		HttpResponse<String> withdrawn = browser.postForm(ISSUER + "/account/sessions/withdraw",
				Browser.formFields(app.selectFirst("form")));

		assertThat(Browser.location(withdrawn, ISSUER)).isEqualTo(ISSUER + "/account/sessions?withdrawn");
		ErrorObject error = OidcTestClient.error(rp.token(new RefreshTokenGrant(refreshToken)));
		assertThat(error.getCode()).isEqualTo("invalid_grant");
		assertThat(Jsoup.parse(browser.get(ISSUER + "/account/sessions").body()).select("#apps li.app")).isEmpty();
		assertThat(auditCount(user, "consent.withdrawn")).isEqualTo(1);
		// The next authorization asks for consent again.
		assertThat(browser.authorize(ISSUER, rp.authorizationRequest(TestRegisteredClients.REDIRECT_URI, "openid")
			.uri(), user.username(), user.password())).contains("code=");
	}

	@Test
	void sessionsPageWhenNotSignedInThenRedirectsToLogin() {
		HttpResponse<String> response = new Browser().get(ISSUER + "/account/sessions");

		assertThat(Browser.location(response, ISSUER)).isEqualTo(ISSUER + "/login");
	}

	private Browser signedIn(TestUserAccounts.Created user) {
		Browser browser = new Browser();
		assertThat(Browser.location(browser.signIn(ISSUER, user.username(), user.password()), ISSUER))
			.isEqualTo(ISSUER + "/");
		assertSignedIn(browser, user);
		return browser;
	}

	private static void assertSignedIn(Browser browser, TestUserAccounts.Created user) {
		HttpResponse<String> home = browser.get(ISSUER + "/");
		assertThat(home.statusCode()).isEqualTo(200);
		assertThat(home.body()).contains(user.username());
	}

	private static void assertSignedOut(Browser browser) {
		HttpResponse<String> home = browser.get(ISSUER + "/");
		assertThat(home.statusCode()).isEqualTo(302);
		assertThat(Browser.location(home, ISSUER)).isEqualTo(ISSUER + "/login");
	}

	// The cookie carries a secret; the session id the server knows is its digest.
	private static String sessionIdOf(Browser browser) {
		return DigestingHttpSessionIdResolver.digest(browser.cookie("JSESSIONID").orElseThrow().getValue());
	}

	private static String csrfOf(Browser browser) {
		return Browser.csrfToken(Jsoup.parse(browser.get(ISSUER + "/account/sessions").body()));
	}

	private int auditCount(TestUserAccounts.Created user, String type) {
		Integer count = this.jdbc.queryForObject("SELECT count(*) FROM audit_event WHERE principal = ? AND type = ?",
				Integer.class, user.account().id().toString(), type);
		return (count != null) ? count : 0;
	}

}
