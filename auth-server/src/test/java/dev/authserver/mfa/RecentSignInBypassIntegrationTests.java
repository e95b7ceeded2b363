package dev.authserver.mfa;

import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.authserver.AuthServerApplication;
import dev.authserver.Browser;
import dev.authserver.CallbackParameters;
import dev.authserver.IntegrationTestSupport;
import dev.authserver.TestUserAccounts;
import dev.authserver.federation.ProviderStandIns;
import dev.authserver.users.UserAccounts;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The review's "recent sign-in bypassed by confirming a pending authenticator" (issue 10, point 2), over real HTTP: a
 * session that is no longer recent can neither read nor confirm the authenticator it once started, a pending key is
 * shown only in the session that asked and expires, confirming it does not make the session recent again, and a
 * "connect GitHub" whose callback arrives after the recent window is refused there.
 * <p>
 * The server's clock ({@link Clock} bean) is moved forward by the tests instead of waiting: sign-ins are dated by the
 * real time, so "6 minutes later" is the real time plus 6 minutes. The window is the default 5 minutes and a pending
 * authenticator lives the default 10 minutes.
 */
class RecentSignInBypassIntegrationTests {

	private static final int PORT = IntegrationTestSupport.freePort();

	private static final String SERVER = "http://localhost:" + PORT;

	private static final OffsetClock clock = new OffsetClock();

	private static final ProviderStandIns providers = ProviderStandIns.shared();

	private static ConfigurableApplicationContext server;

	@BeforeAll
	static void startServerWithAMovableClock() {
		List<String> arguments = new ArrayList<>(List.of("--server.port=" + PORT, "--authserver.issuer=" + SERVER));
		Map<String, String> settings = new java.util.LinkedHashMap<>(providers.settings());
		// The first calls to the stand-ins in this JVM may be slow on a busy machine.
		settings.put("authserver.federation.read-timeout", "PT10S");
		settings.forEach((key, value) -> arguments.add("--" + key + "=" + value));
		ApplicationContextInitializer<ConfigurableApplicationContext> movableClock = (context) -> {
			GenericApplicationContext registry = (GenericApplicationContext) context;
			registry.registerBean("movableClock", Clock.class, () -> clock,
					(definition) -> definition.setPrimary(true));
		};
		server = new SpringApplicationBuilder(AuthServerApplication.class).profiles("test")
			.initializers(movableClock)
			.run(arguments.toArray(String[]::new));
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@BeforeEach
	void backToNow() {
		clock.offset = Duration.ZERO;
	}

	@Test
	void whenSessionIsNoLongerRecentThenItCanNeitherReadNorConfirmThePendingAuthenticator() {
		TestUserAccounts.Created user = newUser();
		Browser browser = new Browser();
		browser.signIn(SERVER, user.username(), user.password());
		AuthenticatorApp app = new AuthenticatorApp(startEnrolment(browser));

		// The owner clicked "Set up authenticator" and walked away; the session is stolen 6 minutes later.
		clock.offset = Duration.ofMinutes(6);

		assertThat(Browser.location(browser.get(SERVER + "/account/security/totp"), SERVER))
			.isEqualTo(SERVER + "/login?reauthenticate");
		HttpResponse<String> qr = browser.get(SERVER + "/account/security/totp/qr.svg");
		assertThat(qr.statusCode()).isEqualTo(401);
		assertThat(qr.headers().firstValue("X-Reauthenticate")).contains("/login?reauthenticate");
		assertThat(qr.body()).doesNotContain("<svg");
		assertThat(Browser.location(confirm(browser, app.codeAt(clock.instant())), SERVER))
			.isEqualTo(SERVER + "/login?reauthenticate");
		assertThat(totp().isEnrolled(user.account().id())).isFalse();
	}

	@Test
	void whenAnotherSessionOfTheAccountAsksThenThePendingAuthenticatorIsNeitherShownNorConfirmed() {
		TestUserAccounts.Created user = newUser();
		Browser owner = new Browser();
		owner.signIn(SERVER, user.username(), user.password());
		AuthenticatorApp app = new AuthenticatorApp(startEnrolment(owner));
		// Another session of the same account, recent too (a thief who typed the password, or another device).
		Browser other = new Browser();
		other.signIn(SERVER, user.username(), user.password());

		assertThat(Browser.location(other.get(SERVER + "/account/security/totp"), SERVER))
			.isEqualTo(SERVER + "/account/security");
		assertThat(other.get(SERVER + "/account/security/totp/qr.svg").statusCode()).isEqualTo(404);
		assertThat(Browser.location(confirm(other, app.codeAt(clock.instant())), SERVER))
			.isEqualTo(SERVER + "/account/security");
		assertThat(totp().isEnrolled(user.account().id())).isFalse();

		// The session that asked still can.
		assertThat(owner.get(SERVER + "/account/security/totp").statusCode()).isEqualTo(200);
		assertThat(confirm(owner, app.codeAt(clock.instant())).statusCode()).isEqualTo(200);
		assertThat(totp().isEnrolled(user.account().id())).isTrue();
	}

	@Test
	void whenThePendingAuthenticatorIsOlderThanItsLifetimeThenItMustBeStartedAgain() {
		TestUserAccounts.Created user = newUser();
		Browser browser = new Browser();
		browser.signIn(SERVER, user.username(), user.password());
		AuthenticatorApp app = new AuthenticatorApp(startEnrolment(browser));
		// Started 11 minutes ago (the session itself is still recent: it signed in just now).
		server.getBean(JdbcTemplate.class)
			.update("UPDATE mfa_totp SET created_at = ? WHERE user_account_id = ?",
					Timestamp.from(Instant.now().minus(Duration.ofMinutes(11))), user.account().id());

		assertThat(Browser.location(browser.get(SERVER + "/account/security/totp"), SERVER))
			.isEqualTo(SERVER + "/account/security");
		assertThat(browser.get(SERVER + "/account/security/totp/qr.svg").statusCode()).isEqualTo(404);
		assertThat(Browser.location(confirm(browser, app.codeAt(clock.instant())), SERVER))
			.isEqualTo(SERVER + "/account/security");
		assertThat(totp().isEnrolled(user.account().id())).isFalse();
	}

	@Test
	void whenAnAuthenticatorIsConfirmedThenTheSessionIsNoMoreRecentThanItsSignIn() {
		TestUserAccounts.Created user = newUser();
		Browser browser = new Browser();
		browser.signIn(SERVER, user.username(), user.password());
		AuthenticatorApp app = new AuthenticatorApp(startEnrolment(browser));
		clock.offset = Duration.ofMinutes(4);
		assertThat(confirm(browser, app.codeAt(clock.instant())).statusCode()).isEqualTo(200);
		assertThat(totp().isEnrolled(user.account().id())).isTrue();

		// 6 minutes after the sign-in, 2 after the confirmation: the session is not recent any more.
		clock.offset = Duration.ofMinutes(6);
		HttpResponse<String> remove = browser.postForm(SERVER + "/account/security/totp/remove",
				List.of(Map.entry("_csrf", csrfOf(browser, "/account/security"))));

		assertThat(Browser.location(remove, SERVER)).isEqualTo(SERVER + "/login?reauthenticate");
		assertThat(totp().isEnrolled(user.account().id())).isTrue();
	}

	@Test
	void whenTheProviderAnswersAfterTheRecentWindowThenConnectingIsRefusedAtTheCallback() {
		TestUserAccounts.Created user = newUser();
		Browser browser = new Browser();
		browser.signIn(SERVER, user.username(), user.password());
		Element form = Jsoup.parse(browser.get(SERVER + "/account").body()).getElementById("connect-github");
		assertThat(form).isNotNull();
		HttpResponse<String> started = browser.postForm(SERVER + form.attr("action"), Browser.formFields(form));
		assertThat(Browser.location(started, SERVER)).isEqualTo(SERVER + "/oauth2/authorization/github");
		HttpResponse<String> toProvider = browser.get(SERVER + "/oauth2/authorization/github");
		CallbackParameters authorizationRequest = CallbackParameters.parse(Browser.location(toProvider, SERVER));
		long gitHubId = Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L) + 1;
		String code = "code-" + UUID.randomUUID();
		providers.gitHubUser(code, ProviderStandIns.GitHubUser.withVerifiedEmail(gitHubId, "late-" + gitHubId,
				"late-" + gitHubId + "@example.org"));

		// The connect request itself lives 10 minutes; the sign-in that allowed it is recent for 5.
		clock.offset = Duration.ofMinutes(6);
		HttpResponse<String> callback = browser.get(SERVER + "/login/oauth2/code/github?code=" + code + "&state="
				+ authorizationRequest.get("state"));

		assertThat(callback.statusCode()).isEqualTo(302);
		assertThat(Browser.location(callback, SERVER)).isEqualTo(SERVER + "/login?reauthenticate");
		JdbcTemplate jdbc = server.getBean(JdbcTemplate.class);
		assertThat(jdbc.queryForObject(
				"SELECT count(*) FROM federated_identity WHERE registration_id = 'github' AND subject = ?",
				Integer.class, String.valueOf(gitHubId)))
			.isZero();
		assertThat(jdbc.queryForObject(
				"SELECT count(*) FROM audit_event WHERE type = ? AND principal = ? AND detail = ?", Integer.class,
				"federation.link_refused", user.account().id().toString(),
				"github " + gitHubId + ": sign_in_not_recent"))
			.isEqualTo(1);
	}

	private static TestUserAccounts.Created newUser() {
		return TestUserAccounts.userAccount().create(server.getBean(UserAccounts.class));
	}

	private static TotpCredentials totp() {
		return server.getBean(TotpCredentials.class);
	}

	/** Clicks "Set up authenticator" and reads the key the page shows. */
	private static String startEnrolment(Browser browser) {
		Document security = Jsoup.parse(browser.get(SERVER + "/account/security").body());
		HttpResponse<String> started = browser.postForm(SERVER + "/account/security/totp/start",
				Browser.formFields(security.getElementById("totp-start")));
		assertThat(Browser.location(started, SERVER)).isEqualTo(SERVER + "/account/security/totp");
		Document page = Jsoup.parse(browser.get(SERVER + "/account/security/totp").body());
		return page.getElementById("totp-secret").text();
	}

	private static HttpResponse<String> confirm(Browser browser, String code) {
		return browser.postForm(SERVER + "/account/security/totp/confirm",
				List.of(Map.entry("code", code), Map.entry("_csrf", csrfOf(browser, "/account/security"))));
	}

	private static String csrfOf(Browser browser, String path) {
		return Browser.csrfToken(Jsoup.parse(browser.get(SERVER + path).body()));
	}

	/** The real time, moved forward by {@link #offset}. */
	static final class OffsetClock extends Clock {

		volatile Duration offset = Duration.ZERO;

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return Instant.now().plus(this.offset);
		}

	}

}
