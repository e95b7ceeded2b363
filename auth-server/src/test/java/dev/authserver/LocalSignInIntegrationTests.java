package dev.authserver;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import dev.authserver.users.UserAccount;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.Pbkdf2PasswordEncoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our sign-in page: CSRF, session fixation, cookie and framing headers, one answer for every failure, password
 * hashes upgraded at sign-in, and RP-initiated logout.
 */
class LocalSignInIntegrationTests extends IntegrationTestSupport {

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void loginPageWhenRequestedThenHasCsrfTokenAndCannotBeFramed() {
		HttpResponse<String> page = new Browser().get(ISSUER + "/login");

		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(Browser.csrfToken(Jsoup.parse(page.body()))).isNotBlank();
		assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
		assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).contains("frame-ancestors 'none'");
		assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
		assertThat(page.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
		String sessionCookie = page.headers().allValues("Set-Cookie").stream()
			.filter((cookie) -> cookie.startsWith("JSESSIONID="))
			.findFirst()
			.orElseThrow();
		assertThat(sessionCookie).contains("HttpOnly").contains("SameSite=Lax");
	}

	@Test
	void loginWhenCsrfTokenMissingThenForbidden() {
		TestUserAccounts.Created user = newUser();
		Browser browser = new Browser();
		browser.get(ISSUER + "/login");

		HttpResponse<String> response = browser.postForm(ISSUER + "/login",
				List.of(Map.entry("username", user.username()), Map.entry("password", user.password())));

		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.body()).doesNotContain("Exception").doesNotContain("at org.");
	}

	@Test
	void loginWhenSuccessfulThenSessionIdChanges() {
		TestUserAccounts.Created user = newUser();
		Browser browser = new Browser();
		browser.get(ISSUER + "/login");
		String before = browser.cookie("JSESSIONID").orElseThrow().getValue();

		HttpResponse<String> response = browser.signIn(ISSUER, user.username(), user.password());

		assertThat(Browser.location(response, ISSUER)).isEqualTo(ISSUER + "/");
		String after = browser.cookie("JSESSIONID").orElseThrow().getValue();
		assertThat(after).isNotEqualTo(before);
		assertThat(browser.get(ISSUER + "/").body()).contains(user.username());
	}

	@Test
	void loginWhenEmailGivenInsteadOfUsernameThenSignedIn() {
		TestUserAccounts.Created user = newUser();

		HttpResponse<String> response = new Browser().signIn(ISSUER, user.account().email().toUpperCase(),
				user.password());

		assertThat(Browser.location(response, ISSUER)).isEqualTo(ISSUER + "/");
	}

	@Test
	void loginWhenUnknownUserWrongPasswordOrDisabledAccountThenSameAnswerInAboutTheSameTime() {
		TestUserAccounts.Created user = newUser();
		TestUserAccounts.Created disabled = newUser();
		this.accounts.setEnabled(disabled.account().id(), false);

		HttpResponse<String> unknown = new Browser().signIn(ISSUER, "nobody-" + user.username(), "whatever-password");
		HttpResponse<String> wrongPassword = new Browser().signIn(ISSUER, user.username(), "not-the-password");
		HttpResponse<String> disabledAccount = new Browser().signIn(ISSUER, disabled.username(), disabled.password());

		for (HttpResponse<String> response : List.of(unknown, wrongPassword, disabledAccount)) {
			assertThat(response.statusCode()).isEqualTo(302);
			assertThat(Browser.location(response, ISSUER)).isEqualTo(ISSUER + "/login?error");
		}
		Browser browser = new Browser();
		assertThat(browser.get(ISSUER + "/login?error").body()).contains("Invalid username or password.");

		// Timing: every failure runs one password hash check, so the medians stay close. Skipping the hash would make
		// a failure 50-100 times faster; the factor of 3 leaves room for a busy CI machine.
		long unknownMedian = medianMillis(() -> new Browser().signIn(ISSUER, "nobody-x", "whatever-password"));
		long wrongMedian = medianMillis(() -> new Browser().signIn(ISSUER, user.username(), "not-the-password"));
		long disabledMedian = medianMillis(() -> new Browser().signIn(ISSUER, disabled.username(), "bad"));
		assertThat(unknownMedian).isGreaterThanOrEqualTo(wrongMedian / 3).isLessThanOrEqualTo(wrongMedian * 3);
		assertThat(disabledMedian).isGreaterThanOrEqualTo(wrongMedian / 3).isLessThanOrEqualTo(wrongMedian * 3);
	}

	@Test
	void loginWhenStoredHashIsWeakerThenItIsUpgradedToBcrypt() {
		TestUserAccounts.Created pbkdf2User = newUser();
		TestUserAccounts.Created weakBcryptUser = newUser();
		setHash(pbkdf2User, "{pbkdf2@SpringSecurity_v5_8}"
				+ Pbkdf2PasswordEncoder.defaultsForSpringSecurity_v5_8().encode(pbkdf2User.password()));
		setHash(weakBcryptUser, "{bcrypt}" + new BCryptPasswordEncoder(4).encode(weakBcryptUser.password()));

		assertThat(Browser.location(new Browser().signIn(ISSUER, pbkdf2User.username(), pbkdf2User.password()),
				ISSUER)).isEqualTo(ISSUER + "/");
		assertThat(Browser.location(new Browser().signIn(ISSUER, weakBcryptUser.username(),
				weakBcryptUser.password()), ISSUER)).isEqualTo(ISSUER + "/");

		assertThat(hashOf(pbkdf2User)).startsWith("{bcrypt}$2a$10$");
		assertThat(hashOf(weakBcryptUser)).startsWith("{bcrypt}$2a$10$");
		// The upgraded hash still signs the person in.
		assertThat(Browser.location(new Browser().signIn(ISSUER, pbkdf2User.username(), pbkdf2User.password()),
				ISSUER)).isEqualTo(ISSUER + "/");
	}

	@Test
	void logoutWhenPostLogoutRedirectUriIsRegisteredThenSessionEndsAndBrowserGoesBack() {
		Browser browser = new Browser();
		OidcTestClient rp = newClient();
		String idToken = idTokenFor(rp, browser);

		HttpResponse<String> logout = browser.get(ISSUER + "/connect/logout?id_token_hint=" + idToken
				+ "&post_logout_redirect_uri=" + TestRegisteredClients.POST_LOGOUT_REDIRECT_URI + "&state=bye");

		assertThat(logout.statusCode()).isEqualTo(302);
		assertThat(Browser.location(logout, ISSUER))
			.isEqualTo(TestRegisteredClients.POST_LOGOUT_REDIRECT_URI + "?state=bye");
		// The session is over: the next authorization request asks the person to sign in again.
		HttpResponse<String> next = browser.get(rp.authorizationRequest(TestRegisteredClients.REDIRECT_URI, "openid")
			.uri());
		assertThat(Browser.location(next, ISSUER)).isEqualTo(ISSUER + "/login");
	}

	@Test
	void logoutWhenPostLogoutRedirectUriIsNotRegisteredThenErrorAndNoRedirect() {
		Browser browser = new Browser();
		String idToken = idTokenFor(newClient(), browser);

		for (String target : List.of("https://attacker.example/", TestRegisteredClients.POST_LOGOUT_REDIRECT_URI + "/x",
				TestRegisteredClients.REDIRECT_URI)) {
			HttpResponse<String> logout = browser
				.get(ISSUER + "/connect/logout?id_token_hint=" + idToken + "&post_logout_redirect_uri=" + target);
			assertThat(logout.statusCode()).isEqualTo(400);
			assertThat(logout.headers().firstValue("Location")).isEmpty();
		}
	}

	private OidcTestClient newClient() {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		return new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
	}

	/** Signs a new user in through the browser and returns the ID token the client gets. */
	private String idTokenFor(OidcTestClient rp, Browser browser) {
		OidcTestClient.Authorized authorized = rp.authorize(browser, TestRegisteredClients.REDIRECT_URI, "openid",
				newUser());
		return OidcTestClient.success(rp.exchange(authorized.code(), authorized.request()))
			.getOIDCTokens()
			.getIDTokenString();
	}

	private void setHash(TestUserAccounts.Created user, String hash) {
		this.jdbc.update("UPDATE user_account SET password_hash = ? WHERE id = ?", hash, user.account().id());
	}

	private String hashOf(TestUserAccounts.Created user) {
		UserAccount account = this.accounts.findById(user.account().id()).orElseThrow();
		return account.passwordHash();
	}

	private static long medianMillis(Runnable attempt) {
		List<Long> times = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			long start = System.nanoTime();
			attempt.run();
			times.add((System.nanoTime() - start) / 1_000_000);
		}
		Collections.sort(times);
		return times.get(times.size() / 2);
	}

}
