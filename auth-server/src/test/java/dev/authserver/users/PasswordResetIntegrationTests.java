package dev.authserver.users;

import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import dev.authserver.Browser;
import dev.authserver.MailIntegrationTestSupport;
import dev.authserver.OidcTestClient;
import dev.authserver.TestRegisteredClients;
import dev.authserver.TestUserAccounts;
import org.jspecify.annotations.Nullable;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Password reset: one answer for known and unknown addresses, a mailed link built from the issuer that works once,
 * and after the reset the old password, the old refresh tokens and the other links are dead.
 */
class PasswordResetIntegrationTests extends MailIntegrationTestSupport {

	private static final String NEW_PASSWORD = "mauve lighthouse spoon 42";

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private Passwords passwords;

	@Test
	void whenPersonResetsTheirPasswordThenOldPasswordAndRefreshTokensAreDead() {
		TestUserAccounts.Created user = newUser();
		OidcTestClient rp = newClient();
		OIDCTokens tokens = tokensFor(rp, user);

		String link = requestReset(user);
		assertThat(link).startsWith(ISSUER + "/password/reset?token=");
		HttpResponse<String> reset = AccountForms.submit(new Browser(), ISSUER, link, "reset-form",
				Map.of("password", NEW_PASSWORD));

		assertThat(Browser.location(reset, ISSUER)).isEqualTo(ISSUER + "/login?reset");
		assertThat(Browser.location(new Browser().signIn(ISSUER, user.username(), user.password()), ISSUER))
			.isEqualTo(ISSUER + "/login?error");
		assertThat(Browser.location(new Browser().signIn(ISSUER, user.username(), NEW_PASSWORD), ISSUER))
			.isEqualTo(ISSUER + "/");
		assertThat(OidcTestClient.error(rp.token(new RefreshTokenGrant(tokens.getRefreshToken()))).getCode())
			.isEqualTo("invalid_grant");
		assertThat(rp.introspect(tokens.getAccessToken()).isActive()).isFalse();
		assertThat(this.jdbc.queryForObject(
				"SELECT count(*) FROM audit_event WHERE principal = ?"
						+ " AND type IN ('user.password_reset_requested', 'user.password_reset')",
				Integer.class, user.subject())).isEqualTo(2);
		// Used once: the same link does nothing the second time.
		assertThat(new Browser().get(link).body()).contains("This link is not valid");
	}

	@Test
	void whenPersonResetsTheirPasswordThenTheirOtherSessionsAreSignedOut() {
		TestUserAccounts.Created user = newUser();
		Browser signedIn = new Browser();
		assertThat(Browser.location(signedIn.signIn(ISSUER, user.username(), user.password()), ISSUER))
			.isEqualTo(ISSUER + "/");

		AccountForms.submit(new Browser(), ISSUER, requestReset(user), "reset-form", Map.of("password", NEW_PASSWORD));

		HttpResponse<String> home = signedIn.get(ISSUER + "/");
		assertThat(home.statusCode()).isEqualTo(302);
		assertThat(Browser.location(home, ISSUER)).isEqualTo(ISSUER + "/login");
	}

	@Test
	void resetWhenAddressIsUnknownThenTheSameAnswerAndNoMail() {
		TestUserAccounts.Created user = newUser();
		String unknown = "nobody-" + user.account().email();

		HttpResponse<String> forKnown = AccountForms.submit(new Browser(), ISSUER, ISSUER + "/password/forgot",
				"forgot-form", Map.of("email", user.account().email()));
		HttpResponse<String> forUnknown = AccountForms.submit(new Browser(), ISSUER, ISSUER + "/password/forgot",
				"forgot-form", Map.of("email", unknown));

		assertThat(forKnown.statusCode()).isEqualTo(forUnknown.statusCode()).isEqualTo(302);
		assertThat(Browser.location(forKnown, ISSUER)).isEqualTo(Browser.location(forUnknown, ISSUER))
			.isEqualTo(ISSUER + "/check-mail");
		assertThat(AccountForms.withoutCsrf(forKnown.body())).isEqualTo(AccountForms.withoutCsrf(forUnknown.body()));
		mailsTo(user.account().email(), 1);
		assertThat(mail.getReceivedMessagesForDomain(unknown)).isEmpty();
	}

	@Test
	void resetWhenTheAccountsAddressIsNotVerifiedThenTheSameAnswerAndNoMail() {
		String email = "unverified-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
		UserAccount account = this.accounts.create(email.substring(0, email.indexOf('@')), email, false, null,
				"tangerine kayak orbit 77");

		HttpResponse<String> answer = AccountForms.submit(new Browser(), ISSUER, ISSUER + "/password/forgot",
				"forgot-form", Map.of("email", email));

		assertThat(Browser.location(answer, ISSUER)).isEqualTo(ISSUER + "/check-mail");
		sleep(500);
		assertThat(mail.getReceivedMessagesForDomain(email)).isEmpty();
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM account_token WHERE user_account_id = ?",
				Integer.class, account.id())).isZero();
	}

	@Test
	void resetLinkWhenPasswordChangedSinceOrExpiredOrForeignThenRefused() {
		TestUserAccounts.Created user = newUser();
		String link = requestReset(user);
		assertThat(this.passwords.change(user.account().id(), user.password(), NEW_PASSWORD, null)).isEmpty();

		assertThat(new Browser().get(link).body()).contains("This link is not valid");

		TestUserAccounts.Created other = newUser();
		String expired = requestReset(other);
		this.jdbc.update("UPDATE account_token SET expires_at = created_at WHERE user_account_id = ?",
				other.account().id());
		assertThat(new Browser().get(expired).body()).contains("This link is not valid");
		assertThat(new Browser().get(ISSUER + "/password/reset?token=not-a-token").body())
			.contains("This link is not valid");
		assertThat(Browser.location(new Browser().signIn(ISSUER, other.username(), other.password()), ISSUER))
			.isEqualTo(ISSUER + "/");
	}

	@Test
	void resetWhenNewPasswordBreaksThePolicyThenTheLinkStillWorks() {
		TestUserAccounts.Created user = newUser();
		String link = requestReset(user);
		Browser browser = new Browser();

		HttpResponse<String> refused = AccountForms.submit(browser, ISSUER, link, "reset-form",
				Map.of("password", "password1234"));
		assertThat(refused.statusCode()).isEqualTo(200);
		assertThat(refused.body()).contains("too common");

		HttpResponse<String> accepted = AccountForms.submit(browser, ISSUER, refused, "reset-form",
				Map.of("password", NEW_PASSWORD));
		assertThat(Browser.location(accepted, ISSUER)).isEqualTo(ISSUER + "/login?reset");
	}

	@Test
	void resetWhenRequestNamesAnotherHostThenTheLinkStillPointsAtTheIssuer() throws Exception {
		TestUserAccounts.Created user = newUser();
		Browser browser = new Browser();
		String csrf = Browser.csrfToken(Jsoup.parse(browser.get(ISSUER + "/password/forgot").body()));
		String body = "_csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8) + "&email="
				+ URLEncoder.encode(user.account().email(), StandardCharsets.UTF_8);

		// Java's HttpClient will not send a forged Host header: a raw request does.
		try (Socket socket = new Socket("localhost", PORT)) {
			String request = "POST /password/forgot HTTP/1.1\r\nHost: attacker.example\r\n"
					+ "X-Forwarded-Host: attacker.example\r\nX-Forwarded-Proto: https\r\n"
					+ "Cookie: JSESSIONID=" + browser.cookie("JSESSIONID").orElseThrow().getValue() + "\r\n"
					+ "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length()
					+ "\r\nConnection: close\r\n\r\n" + body;
			socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
			String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
			assertThat(answer).startsWith("HTTP/1.1 302");
		}

		String link = linkIn(mailsTo(user.account().email(), 1).get(0));
		assertThat(link).startsWith(ISSUER + "/password/reset?token=");
		assertThat(plainText(mailsTo(user.account().email(), 1).get(0))).doesNotContain("attacker.example");
	}

	@Test
	void whenPersonResetsTheirPasswordThenOtherWaysToSignInAreListedWithTheirDatesAndTheChosenOnesRemoved() {
		TestUserAccounts.Created user = newUser();
		UUID id = user.account().id();
		// Someone who had a session connected his GitHub and added a passkey; the owner's own Google stays.
		UUID mallorysGitHub = linkIdentity(id, "github", "mallory-gh", "2026-01-02T10:00:00Z");
		UUID ownersGoogle = linkIdentity(id, "google", null, "2025-05-06T10:00:00Z");
		String mallorysPasskey = addPasskey(id, "Mallory's key", "2026-01-03T10:00:00Z");
		// As if the address had only been vouched for by a provider (a just-in-time account that got a password).
		this.jdbc.update("UPDATE user_account SET email_verified_locally = FALSE WHERE id = ?", id);

		String link = requestReset(user);
		String mailText = plainText(mailsTo(user.account().email(), 1).get(0));
		assertThat(mailText).contains("GitHub account mallory-gh, added 2026-01-02")
			.contains("Passkey \u201cMallory's key\u201d, added 2026-01-03")
			.contains("Google account " + user.account().email() + ", added 2025-05-06");
		Browser browser = new Browser();
		HttpResponse<String> page = browser.get(link);
		Element form = Jsoup.parse(page.body()).getElementById("reset-form");
		assertThat(form.getElementById("other-sign-in-methods").text()).contains("GitHub account mallory-gh")
			.contains("added 2026-01-02")
			.contains("Mallory's key")
			.contains("added 2026-01-03");
		List<Map.Entry<String, String>> fields = new ArrayList<>();
		for (Map.Entry<String, String> field : Browser.formFields(form)) {
			if (!field.getKey().equals("password")) {
				fields.add(field);
			}
		}
		fields.add(Map.entry("password", NEW_PASSWORD));
		fields.add(Map.entry("remove", "federated-identity:" + mallorysGitHub));
		fields.add(Map.entry("remove", "passkey:" + mallorysPasskey));

		HttpResponse<String> reset = browser.postForm(ISSUER + form.attr("action"), fields);

		assertThat(Browser.location(reset, ISSUER)).isEqualTo(ISSUER + "/login?reset");
		assertThat(this.jdbc.queryForList("SELECT id FROM federated_identity WHERE user_account_id = ?", UUID.class,
				id)).containsExactly(ownersGoogle);
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM user_credentials WHERE credential_id = ?",
				Integer.class, mallorysPasskey)).isZero();
		assertThat(auditCount(id, "federation.unlinked")).isEqualTo(1);
		assertThat(auditCount(id, "mfa.passkey_removed")).isEqualTo(1);
		assertThat(Browser.location(new Browser().signIn(ISSUER, user.username(), NEW_PASSWORD), ISSUER))
			.isEqualTo(ISSUER + "/");
		// The reset link went to the address and was followed: the address is now verified by us.
		assertThat(this.accounts.findById(id).orElseThrow().emailVerifiedLocally()).isTrue();
	}

	@Test
	void resetWhenRemoveAllIsChosenThenEveryRemovableWayGoesButTheAuthenticatorAppIsOnlyListed() {
		TestUserAccounts.Created user = newUser();
		UUID id = user.account().id();
		linkIdentity(id, "github", "mallory-gh2", "2026-01-02T10:00:00Z");
		addPasskey(id, "Another key", "2026-01-03T10:00:00Z");
		this.jdbc.update("""
				INSERT INTO mfa_totp (id, user_account_id, secret, confirmed, created_at)
				VALUES (?, ?, 'not-a-real-seed', TRUE, ?)
				""", UUID.randomUUID().toString(), id, Timestamp.from(Instant.parse("2025-07-08T10:00:00Z")));

		String link = requestReset(user);
		assertThat(plainText(mailsTo(user.account().email(), 1).get(0))).contains("Authenticator app")
			.contains("added 2025-07-08")
			.doesNotContain("not-a-real-seed");
		Browser browser = new Browser();
		HttpResponse<String> page = browser.get(link);
		assertThat(Jsoup.parse(page.body()).select("input[name=remove]")).hasSize(2);
		HttpResponse<String> reset = AccountForms.submit(browser, ISSUER, page, "reset-form",
				Map.of("password", NEW_PASSWORD, "removeAll", "true"));

		assertThat(Browser.location(reset, ISSUER)).isEqualTo(ISSUER + "/login?reset");
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM federated_identity WHERE user_account_id = ?",
				Integer.class, id)).isZero();
		assertThat(this.jdbc.queryForObject(
				"SELECT count(*) FROM user_credentials c JOIN user_entities u ON u.id = c.user_entity_user_id"
						+ " WHERE u.name = ?",
				Integer.class, id.toString())).isZero();
		// A second factor survives a reset link, which only proves the mailbox.
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM mfa_totp WHERE user_account_id = ?",
				Integer.class, id)).isEqualTo(1);
	}

	private UUID linkIdentity(UUID userAccountId, String registrationId, @Nullable String login, String linkedAt) {
		UUID identityId = UUID.randomUUID();
		String email = this.accounts.findById(userAccountId).orElseThrow().email();
		this.jdbc.update("""
				INSERT INTO federated_identity (id, registration_id, subject, user_account_id, email, email_verified,
				login, linked_at, last_login_at) VALUES (?, ?, ?, ?, ?, true, ?, ?, ?)
				""", identityId, registrationId, registrationId + "-" + UUID.randomUUID(), userAccountId, email, login,
				Timestamp.from(Instant.parse(linkedAt)), Timestamp.from(Instant.parse(linkedAt)));
		return identityId;
	}

	// The rows Spring Security's JdbcUserCredentialRepository reads; the key material is never used here.
	private String addPasskey(UUID userAccountId, String label, String created) {
		List<String> entities = this.jdbc.queryForList("SELECT id FROM user_entities WHERE name = ?", String.class,
				userAccountId.toString());
		String entityId = entities.isEmpty() ? randomBase64Url() : entities.get(0);
		if (entities.isEmpty()) {
			this.jdbc.update("INSERT INTO user_entities (id, name, display_name) VALUES (?, ?, ?)", entityId,
					userAccountId.toString(), "test");
		}
		String credentialId = randomBase64Url();
		this.jdbc.update("""
				INSERT INTO user_credentials (credential_id, user_entity_user_id, public_key, signature_count,
				uv_initialized, backup_eligible, authenticator_transports, public_key_credential_type, backup_state,
				created, last_used, label) VALUES (?, ?, ?, 0, true, false, 'internal', 'public-key', false, ?, ?, ?)
				""", credentialId, entityId, new byte[] { 1, 2, 3 }, Timestamp.from(Instant.parse(created)),
				Timestamp.from(Instant.parse(created)), label);
		return credentialId;
	}

	private int auditCount(UUID principal, String type) {
		return this.jdbc.queryForObject("SELECT count(*) FROM audit_event WHERE principal = ? AND type = ?",
				Integer.class, principal.toString(), type);
	}

	private static String randomBase64Url() {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(UUID.randomUUID().toString().getBytes());
	}

	private String requestReset(TestUserAccounts.Created user) {
		int before = mail.getReceivedMessagesForDomain(user.account().email()).length;
		HttpResponse<String> answer = AccountForms.submit(new Browser(), ISSUER, ISSUER + "/password/forgot",
				"forgot-form", Map.of("email", user.account().email()));
		assertThat(Browser.location(answer, ISSUER)).isEqualTo(ISSUER + "/check-mail");
		return linkIn(mailsTo(user.account().email(), before + 1).get(before));
	}

	private OidcTestClient newClient() {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		return new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
	}

	private static OIDCTokens tokensFor(OidcTestClient rp, TestUserAccounts.Created user) {
		OidcTestClient.Authorized authorized = rp.authorize(new Browser(), TestRegisteredClients.REDIRECT_URI,
				"openid profile", user);
		return OidcTestClient.success(rp.exchange(authorized.code(), authorized.request())).getOIDCTokens();
	}

}
