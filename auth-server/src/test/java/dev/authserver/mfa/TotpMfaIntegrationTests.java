package dev.authserver.mfa;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import dev.authserver.Browser;
import dev.authserver.CallbackParameters;
import dev.authserver.IntegrationTestSupport;
import dev.authserver.OidcTestClient;
import dev.authserver.TestRegisteredClients;
import dev.authserver.TestUserAccounts;
import dev.authserver.users.Passwords;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TOTP as a second factor through real HTTP: enrolment with a QR code and a first code, recovery codes shown once,
 * the second sign-in step before any authorization code or account page, no replay of a code, single-use recovery
 * codes, and removal.
 */
class TotpMfaIntegrationTests extends IntegrationTestSupport {

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private Passwords passwords;

	@Test
	void whenUserEnrolsTotpThenPasswordSignInNeedsCodeBeforeAuthorizationCode() {
		TestUserAccounts.Created user = newUser();
		Enrolment enrolment = enrol(user);
		assertThat(enrolment.recoveryCodes()).hasSize(10).doesNotHaveDuplicates();
		assertThat(audits(user, "mfa.totp_enrolled")).isEqualTo(1);
		// The seed is stored encrypted, never in clear.
		String stored = this.jdbc.queryForObject("SELECT secret FROM mfa_totp WHERE user_account_id = ?",
				String.class, user.account().id());
		assertThat(stored).doesNotContain(enrolment.secret());

		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		OidcTestClient rp = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
		OidcTestClient.Request request = rp.authorizationRequest(TestRegisteredClients.REDIRECT_URI, "openid");
		Browser browser = new Browser();
		assertThat(Browser.location(browser.get(request.uri()), ISSUER)).isEqualTo(ISSUER + "/login");
		HttpResponse<String> signedIn = browser.signIn(ISSUER, user.username(), user.password());

		// The password alone opens nothing: no account page, no code.
		assertThat(Browser.location(browser.get(ISSUER + "/"), ISSUER)).isEqualTo(ISSUER + "/login/totp");
		assertThat(Browser.location(browser.get(ISSUER + "/account/security"), ISSUER))
			.isEqualTo(ISSUER + "/login/totp");
		assertThat(Browser.location(browser.postForm(ISSUER + "/account/security/totp/remove",
				List.of(Map.entry("_csrf", csrfOf(browser, "/login/totp")))), ISSUER))
			.isEqualTo(ISSUER + "/login/totp");
		// A silent request (prompt=none) gets login_required at the client, not a page.
		OidcTestClient.Request silent = rp.authorizationRequest(TestRegisteredClients.REDIRECT_URI, "openid");
		CallbackParameters silentAnswer = CallbackParameters
			.parse(Browser.location(browser.get(silent.uri() + "&prompt=none"), ISSUER));
		assertThat(silentAnswer.get("error")).isEqualTo("login_required");
		assertThat(silentAnswer.get("code")).isNull();
		HttpResponse<String> authorize = browser.get(Browser.location(signedIn, ISSUER));
		assertThat(Browser.location(authorize, ISSUER)).isEqualTo(ISSUER + "/login/totp");
		assertThat(Browser.location(submitCode(browser, "000000"), ISSUER)).isEqualTo(ISSUER + "/login/totp?error");

		// The code of the current step was spent at enrolment; the next step's is still within the window.
		String code = enrolment.app().codeAt(Instant.now().plusSeconds(30));
		HttpResponse<String> verified = submitCode(browser, code);
		String next = Browser.location(verified, ISSUER);
		assertThat(next).startsWith(ISSUER + "/oauth2/authorize?");
		String callback = browser.authorize(ISSUER, next, user.username(), user.password());
		CallbackParameters parameters = CallbackParameters.parse(callback);
		assertThat(parameters.get("error")).isNull();
		assertThat(OidcTestClient.success(rp.exchange(parameters.get("code"), request)).getOIDCTokens().getIDToken())
			.isNotNull();

		// The same code cannot be used a second time, in another session either.
		Browser second = new Browser();
		second.signIn(ISSUER, user.username(), user.password());
		assertThat(Browser.location(submitCode(second, code), ISSUER)).isEqualTo(ISSUER + "/login/totp?error");
	}

	@Test
	void whenRecoveryCodeUsedThenItWorksOnce() {
		TestUserAccounts.Created user = newUser();
		Enrolment enrolment = enrol(user);
		String recoveryCode = enrolment.recoveryCodes().get(3);

		Browser first = new Browser();
		first.signIn(ISSUER, user.username(), user.password());
		assertThat(Browser.location(submitCode(first, recoveryCode.toUpperCase()), ISSUER)).isEqualTo(ISSUER + "/");
		assertThat(first.get(ISSUER + "/").statusCode()).isEqualTo(200);

		Browser second = new Browser();
		second.signIn(ISSUER, user.username(), user.password());
		assertThat(Browser.location(submitCode(second, recoveryCode), ISSUER)).isEqualTo(ISSUER + "/login/totp?error");
		assertThat(audits(user, "mfa.recovery_code_used")).isEqualTo(1);
		Document security = Jsoup.parse(first.get(ISSUER + "/account/security").body());
		assertThat(security.getElementById("recovery-remaining").text()).isEqualTo("9");
	}

	@Test
	void whenTotpRemovedThenPasswordAloneSignsInAgain() {
		TestUserAccounts.Created user = newUser();
		Browser browser = enrol(user).browser();

		HttpResponse<String> removed = browser.postForm(ISSUER + "/account/security/totp/remove",
				List.of(Map.entry("_csrf", csrfOf(browser, "/account/security"))));

		assertThat(Browser.location(removed, ISSUER)).isEqualTo(ISSUER + "/account/security?removed");
		assertThat(audits(user, "mfa.totp_removed")).isEqualTo(1);
		Browser next = new Browser();
		assertThat(Browser.location(next.signIn(ISSUER, user.username(), user.password()), ISSUER))
			.isEqualTo(ISSUER + "/");
		assertThat(next.get(ISSUER + "/").statusCode()).isEqualTo(200);
	}

	@Test
	void whenEnrolmentCodeIsWrongThenNotEnrolled() {
		TestUserAccounts.Created user = newUser();
		Browser browser = new Browser();
		browser.signIn(ISSUER, user.username(), user.password());
		browser.postForm(ISSUER + "/account/security/totp/start",
				List.of(Map.entry("_csrf", csrfOf(browser, "/account/security"))));

		HttpResponse<String> confirm = browser.postForm(ISSUER + "/account/security/totp/confirm",
				List.of(Map.entry("code", "12345x"), Map.entry("_csrf", csrfOf(browser, "/account/security/totp"))));

		assertThat(Browser.location(confirm, ISSUER)).isEqualTo(ISSUER + "/account/security/totp?error");
		assertThat(Browser.location(new Browser().signIn(ISSUER, user.username(), user.password()), ISSUER))
			.isEqualTo(ISSUER + "/");
	}

	@Test
	void whenWrongCodesAreSentThenTheThrottleCountsThemAndARightCodeClearsTheCount() throws Exception {
		TestUserAccounts.Created user = TestUserAccounts.userAccount().create(this.accounts);
		Enrolment enrolment = enrol(user);
		Browser browser = new Browser();
		browser.signIn(ISSUER, user.username(), user.password());
		String key = "mfa:account:" + HexFormat.of()
			.formatHex(MessageDigest.getInstance("SHA-256")
				.digest(user.account().id().toString().getBytes(StandardCharsets.UTF_8)));

		for (int i = 0; i < 3; i++) {
			assertThat(Browser.location(submitCode(browser, "000000"), ISSUER))
				.isEqualTo(ISSUER + "/login/totp?error");
		}
		// The shared test server's limits are out of reach (application-test.yml); the limits themselves are tested
		// on the password door (SignInThrottleIntegrationTests): here, that the code form counts on the same throttle.
		assertThat(this.jdbc.queryForObject("SELECT attempts FROM sign_in_throttle WHERE throttle_key = ?",
				Integer.class, key)).isEqualTo(3);
		assertThat(Browser.location(submitCode(browser, enrolment.app().codeAt(Instant.now().plusSeconds(30))), ISSUER))
			.isEqualTo(ISSUER + "/");
		assertThat(this.jdbc.queryForObject("SELECT attempts FROM sign_in_throttle WHERE throttle_key = ?",
				Integer.class, key)).isZero();
	}

	@Test
	void whenPasswordChangeIsRequiredThenTheCodeComesFirstAndThenTheChangePage() {
		TestUserAccounts.Created user = newUser();
		Enrolment enrolment = enrol(user);
		this.passwords.requireChange(user.account().id(), true);
		Browser browser = new Browser();
		browser.signIn(ISSUER, user.username(), user.password());

		assertThat(Browser.location(browser.get(ISSUER + "/"), ISSUER)).isEqualTo(ISSUER + "/account/password");
		assertThat(Browser.location(browser.get(ISSUER + "/account/password"), ISSUER))
			.isEqualTo(ISSUER + "/login/totp");
		assertThat(browser.get(ISSUER + "/login/totp").statusCode()).isEqualTo(200);
		HttpResponse<String> verified = submitCode(browser, enrolment.app().codeAt(Instant.now().plusSeconds(30)));
		assertThat(Browser.location(verified, ISSUER)).isEqualTo(ISSUER + "/account/password");
		assertThat(browser.get(ISSUER + "/account/password").statusCode()).isEqualTo(200);
	}

	/** Signs in, sets up an authenticator through the pages, and confirms it with its first code. */
	private Enrolment enrol(TestUserAccounts.Created user) {
		Browser browser = new Browser();
		browser.signIn(ISSUER, user.username(), user.password());
		Document security = Jsoup.parse(browser.get(ISSUER + "/account/security").body());
		assertThat(security.getElementById("totp-start")).isNotNull();
		HttpResponse<String> started = browser.postForm(ISSUER + "/account/security/totp/start",
				Browser.formFields(security.getElementById("totp-start")));
		assertThat(Browser.location(started, ISSUER)).isEqualTo(ISSUER + "/account/security/totp");
		Document page = Jsoup.parse(browser.get(ISSUER + "/account/security/totp").body());
		String secret = page.getElementById("totp-secret").text();
		assertThat(page.getElementById("otpauth-uri").attr("href")).startsWith("otpauth://totp/")
			.contains("secret=" + secret)
			.contains(user.username());
		HttpResponse<String> qr = browser.get(ISSUER + "/account/security/totp/qr.svg");
		assertThat(qr.statusCode()).isEqualTo(200);
		assertThat(qr.headers().firstValue("Content-Type").orElse("")).startsWith("image/svg+xml");
		assertThat(qr.body()).startsWith("<svg");

		AuthenticatorApp app = new AuthenticatorApp(secret);
		List<Map.Entry<String, String>> fields = new ArrayList<>(
				Browser.formFields(page.getElementById("totp-confirm")));
		fields.removeIf((field) -> field.getKey().equals("code"));
		fields.add(Map.entry("code", app.codeAt(Instant.now())));
		HttpResponse<String> confirmed = browser.postForm(ISSUER + "/account/security/totp/confirm", fields);
		assertThat(confirmed.statusCode()).isEqualTo(200);
		List<String> codes = Jsoup.parse(confirmed.body()).select("#recovery-codes code").eachText();
		return new Enrolment(browser, secret, app, codes);
	}

	private static HttpResponse<String> submitCode(Browser browser, String code) {
		return browser.postForm(ISSUER + "/login/totp",
				List.of(Map.entry("code", code), Map.entry("_csrf", csrfOf(browser, "/login/totp"))));
	}

	private static String csrfOf(Browser browser, String path) {
		HttpResponse<String> page = browser.get(ISSUER + path);
		return Browser.csrfToken(Jsoup.parse(page.body()));
	}

	private int audits(TestUserAccounts.Created user, String type) {
		Integer count = this.jdbc.queryForObject("SELECT count(*) FROM audit_event WHERE principal = ? AND type = ?",
				Integer.class, user.account().id().toString(), type);
		return (count != null) ? count : 0;
	}

	private record Enrolment(Browser browser, String secret, AuthenticatorApp app, List<String> recoveryCodes) {
	}

}
