package dev.authserver.mfa;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.authserver.Browser;
import dev.authserver.IntegrationTestSupport;
import dev.authserver.TestUserAccounts;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every sign-in, by any factor, right or wrong, is an audit event (issue 10, point 12): passkey sign-ins and the codes
 * of the second step are recorded like passwords ({@code user.signed_in}, {@code user.sign_in_failed}), with the
 * account, the client address and the factor, and never the code or the assertion.
 */
class SignInAuditIntegrationTests extends IntegrationTestSupport {

	private static final List<String> SIGN_IN_TYPES = List.of("user.signed_in", "user.sign_in_failed");

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private TotpCredentials totp;

	@Test
	void whenPasskeySignInSucceedsOrFailsThenTheAuditLogHasIt() throws Exception {
		TestUserAccounts.Created user = newUser();
		SoftwareAuthenticator authenticator = new SoftwareAuthenticator(ISSUER);
		PasskeyIntegrationTests.register(user, authenticator);

		// Signed in with the passkey (no password).
		Browser browser = new Browser();
		String csrf = Browser.csrfToken(Jsoup.parse(browser.get(ISSUER + "/login").body()));
		String options = browser.postJson(ISSUER + "/webauthn/authenticate/options", "", csrf).body();
		String assertion = authenticator.authenticate(options);
		assertThat(browser.postJson(ISSUER + "/login/webauthn", assertion, csrf).statusCode()).isEqualTo(200);
		// The same signed answer replayed in another session: refused, and the account it names is known.
		Browser replay = new Browser();
		String replayCsrf = Browser.csrfToken(Jsoup.parse(replay.get(ISSUER + "/login").body()));
		replay.postJson(ISSUER + "/webauthn/authenticate/options", "", replayCsrf);
		assertThat(replay.postJson(ISSUER + "/login/webauthn", assertion, replayCsrf).statusCode()).isEqualTo(401);

		// The first is the password sign-in that registered the passkey.
		assertThat(signIns(user)).containsExactly(List.of("user.signed_in", user.subject(), "password"),
				List.of("user.signed_in", user.subject(), "passkey"),
				List.of("user.sign_in_failed", "system", "passkey: refused"));
		assertThat(addressesOf(user)).isNotEmpty().allSatisfy((address) -> assertThat(address).isNotBlank());

		// A credential the server never registered: a failure that names no account.
		long unknownBefore = count("passkey: unknown_credential");
		Browser stranger = new Browser();
		String strangerCsrf = Browser.csrfToken(Jsoup.parse(stranger.get(ISSUER + "/login").body()));
		String strangerOptions = stranger.postJson(ISSUER + "/webauthn/authenticate/options", "", strangerCsrf)
			.body();
		assertThat(stranger
			.postJson(ISSUER + "/login/webauthn", new SoftwareAuthenticator(ISSUER).authenticate(strangerOptions),
					strangerCsrf)
			.statusCode()).isEqualTo(401);
		assertThat(count("passkey: unknown_credential")).isEqualTo(unknownBefore + 1);
	}

	@Test
	void whenSecondStepCodeIsRightOrWrongThenTheAuditLogHasIt() {
		TestUserAccounts.Created user = newUser();
		TotpCredentials.PendingEnrolment enrolment = this.totp.startEnrolment(user.account().id());
		AuthenticatorApp app = new AuthenticatorApp(enrolment.secret());
		List<String> recoveryCodes = this.totp.confirm(user.account().id(), enrolment.id(), app.codeAt(Instant.now()))
			.orElseThrow();

		Browser first = new Browser();
		first.signIn(ISSUER, user.username(), user.password());
		assertThat(Browser.location(submitCode(first, "000000"), ISSUER)).isEqualTo(ISSUER + "/login/totp?error");
		// The current step's code was spent at enrolment; the next one is within the window.
		String code = app.codeAt(Instant.now().plusSeconds(30));
		assertThat(Browser.location(submitCode(first, code), ISSUER)).isEqualTo(ISSUER + "/");
		Browser second = new Browser();
		second.signIn(ISSUER, user.username(), user.password());
		assertThat(Browser.location(submitCode(second, "abcd-efgh-jkmn"), ISSUER))
			.isEqualTo(ISSUER + "/login/totp?error");
		String recoveryCode = recoveryCodes.get(0);
		assertThat(Browser.location(submitCode(second, recoveryCode), ISSUER)).isEqualTo(ISSUER + "/");

		assertThat(signIns(user)).containsExactly(List.of("user.signed_in", user.subject(), "password"),
				List.of("user.sign_in_failed", "system", "totp (second step): code refused"),
				List.of("user.signed_in", user.subject(), "totp (second step)"),
				List.of("user.signed_in", user.subject(), "password"),
				List.of("user.sign_in_failed", "system", "recovery_code (second step): code refused"),
				List.of("user.signed_in", user.subject(), "recovery_code (second step)"));
		assertThat(addressesOf(user)).allSatisfy((address) -> assertThat(address).isNotBlank());
		// No code, right or wrong, is ever recorded.
		for (String secret : List.of(code, "000000", "abcd-efgh-jkmn", recoveryCode, enrolment.secret())) {
			assertThat(this.jdbc.queryForObject(
					"SELECT count(*) FROM audit_event WHERE principal = ? AND detail LIKE ?", Long.class,
					user.subject(), "%" + secret + "%"))
				.isZero();
		}
	}

	private static HttpResponse<String> submitCode(Browser browser, String code) {
		String csrf = Browser.csrfToken(Jsoup.parse(browser.get(ISSUER + "/login/totp").body()));
		return browser.postForm(ISSUER + "/login/totp", List.of(Map.entry("code", code), Map.entry("_csrf", csrf)));
	}

	/** The account's sign-in events, oldest first, as (type, actor, detail). */
	private List<List<String>> signIns(TestUserAccounts.Created user) {
		return this.jdbc.query(
				"SELECT type, actor, detail FROM audit_event WHERE principal = ? AND type IN (?, ?) "
						+ "ORDER BY occurred_at",
				(rs, row) -> List.of(rs.getString("type"), rs.getString("actor"), rs.getString("detail")),
				user.subject(), SIGN_IN_TYPES.get(0), SIGN_IN_TYPES.get(1));
	}

	private List<String> addressesOf(TestUserAccounts.Created user) {
		return this.jdbc.queryForList("SELECT remote_address FROM audit_event WHERE principal = ? AND type IN (?, ?)",
				String.class, user.subject(), SIGN_IN_TYPES.get(0), SIGN_IN_TYPES.get(1));
	}

	private long count(String detail) {
		Long count = this.jdbc.queryForObject(
				"SELECT count(*) FROM audit_event WHERE type = 'user.sign_in_failed' AND detail = ?", Long.class,
				detail);
		return (count != null) ? count : 0;
	}

}
