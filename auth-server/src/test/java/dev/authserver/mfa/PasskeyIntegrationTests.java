package dev.authserver.mfa;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import dev.authserver.Browser;
import dev.authserver.IntegrationTestSupport;
import dev.authserver.OidcTestClient;
import dev.authserver.TestRegisteredClients;
import dev.authserver.TestUserAccounts;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Passkeys through the real WebAuthn endpoints with a software authenticator: registration by a signed-in person,
 * then a passwordless sign-in as the same account, which also counts as the second factor.
 */
class PasskeyIntegrationTests extends IntegrationTestSupport {

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private TotpCredentials totp;

	@Test
	void whenPasskeyRegisteredThenItSignsInWithoutPasswordAsTheSameAccount() throws Exception {
		TestUserAccounts.Created user = newUser();
		SoftwareAuthenticator authenticator = new SoftwareAuthenticator(ISSUER);
		register(user, authenticator);
		assertThat(audits(user, "mfa.passkey_registered")).isEqualTo(1);

		Browser browser = new Browser();
		String redirect = signInWithPasskey(browser, authenticator);

		assertThat(redirect).isEqualTo(ISSUER + "/");
		HttpResponse<String> home = browser.get(ISSUER + "/");
		assertThat(home.statusCode()).isEqualTo(200);
		assertThat(home.body()).contains(user.username());
	}

	@Test
	void whenUserHasTotpThenPasskeySignInNeedsNoCode() throws Exception {
		TestUserAccounts.Created user = newUser();
		SoftwareAuthenticator authenticator = new SoftwareAuthenticator(ISSUER);
		register(user, authenticator);
		this.totp.startEnrolment(user.account().id());
		this.jdbc.update("UPDATE mfa_totp SET confirmed = TRUE WHERE user_account_id = ?", user.account().id());

		Browser browser = new Browser();
		signInWithPasskey(browser, authenticator);

		assertThat(browser.get(ISSUER + "/").statusCode()).isEqualTo(200);
		assertThat(browser.get(ISSUER + "/account/security").statusCode()).isEqualTo(200);
	}

	@Test
	void whenPasswordSignInOwesTotpThenPasskeyServesAsSecondFactorAndAppGetsTokens() throws Exception {
		TestUserAccounts.Created user = newUser();
		SoftwareAuthenticator authenticator = new SoftwareAuthenticator(ISSUER);
		register(user, authenticator);
		this.totp.startEnrolment(user.account().id());
		this.jdbc.update("UPDATE mfa_totp SET confirmed = TRUE WHERE user_account_id = ?", user.account().id());
		Browser browser = new Browser();
		browser.signIn(ISSUER, user.username(), user.password());
		assertThat(Browser.location(browser.get(ISSUER + "/"), ISSUER)).isEqualTo(ISSUER + "/login/totp");
		// Passkey registration is not open to a session that still owes its second factor.
		String csrf = Browser.csrfToken(Jsoup.parse(browser.get(ISSUER + "/login/totp").body()));
		assertThat(browser.postJson(ISSUER + "/webauthn/register/options", "", csrf).statusCode()).isEqualTo(302);

		signInWithPasskey(browser, authenticator);

		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		OidcTestClient rp = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
		OidcTestClient.Authorized authorized = rp.authorize(browser, TestRegisteredClients.REDIRECT_URI, "openid",
				user);
		OIDCTokens tokens = OidcTestClient.success(rp.exchange(authorized.code(), authorized.request()))
			.getOIDCTokens();
		assertThat(rp.validate(tokens.getIDToken(), authorized.request().nonce()).getSubject().getValue())
			.isEqualTo(user.account().id().toString());
		// The stored authorization (principal with its factors) reads back: the refresh token works.
		assertThat(OidcTestClient.success(rp.token(new RefreshTokenGrant(tokens.getRefreshToken())))
			.getOIDCTokens()
			.getAccessToken()).isNotNull();
	}

	@Test
	void whenAssertionIsReplayedOrUnknownThenRefused() throws Exception {
		TestUserAccounts.Created user = newUser();
		SoftwareAuthenticator authenticator = new SoftwareAuthenticator(ISSUER);
		register(user, authenticator);

		Browser first = new Browser();
		String csrf = Browser.csrfToken(Jsoup.parse(first.get(ISSUER + "/login").body()));
		String options = first.postJson(ISSUER + "/webauthn/authenticate/options", "", csrf).body();
		String assertion = authenticator.authenticate(options);
		assertThat(first.postJson(ISSUER + "/login/webauthn", assertion, csrf).statusCode()).isEqualTo(200);

		// The same signed answer again, in another session: its challenge is not the one that session was given.
		Browser replay = new Browser();
		String replayCsrf = Browser.csrfToken(Jsoup.parse(replay.get(ISSUER + "/login").body()));
		replay.postJson(ISSUER + "/webauthn/authenticate/options", "", replayCsrf);
		assertThat(replay.postJson(ISSUER + "/login/webauthn", assertion, replayCsrf).statusCode()).isEqualTo(401);
		assertThat(replay.get(ISSUER + "/").statusCode()).isEqualTo(302);

		// A credential the server never registered.
		Browser stranger = new Browser();
		String strangerCsrf = Browser.csrfToken(Jsoup.parse(stranger.get(ISSUER + "/login").body()));
		String strangerOptions = stranger.postJson(ISSUER + "/webauthn/authenticate/options", "", strangerCsrf)
			.body();
		HttpResponse<String> unknown = stranger.postJson(ISSUER + "/login/webauthn",
				new SoftwareAuthenticator(ISSUER).authenticate(strangerOptions), strangerCsrf);
		assertThat(unknown.statusCode()).isEqualTo(401);
		assertThat(unknown.body()).doesNotContain("Exception");
	}

	@Test
	void whenOwnerRemovesPasskeyOnSecurityPageThenItNoLongerSignsIn() throws Exception {
		TestUserAccounts.Created user = newUser();
		TestUserAccounts.Created other = newUser();
		SoftwareAuthenticator authenticator = new SoftwareAuthenticator(ISSUER);
		register(user, authenticator);
		Browser owner = new Browser();
		owner.signIn(ISSUER, user.username(), user.password());
		Document page = Jsoup.parse(owner.get(ISSUER + "/account/security").body());
		assertThat(page.select("#passkeys li.passkey")).hasSize(1);
		assertThat(page.select("#passkeys li.passkey").text()).contains("Laptop");
		List<Map.Entry<String, String>> delete = Browser
			.formFields(page.selectFirst("form.passkey-delete"));

		// Someone else's session cannot remove it.
		Browser stranger = new Browser();
		stranger.signIn(ISSUER, other.username(), other.password());
		String strangerCsrf = Browser.csrfToken(Jsoup.parse(stranger.get(ISSUER + "/account/security").body()));
		List<Map.Entry<String, String>> foreign = new ArrayList<>(delete);
		foreign.removeIf((field) -> field.getKey().equals("_csrf"));
		foreign.add(Map.entry("_csrf", strangerCsrf));
		assertThat(Browser.location(stranger.postForm(ISSUER + "/account/security/passkeys/delete", foreign), ISSUER))
			.isEqualTo(ISSUER + "/account/security");

		HttpResponse<String> removed = owner.postForm(ISSUER + "/account/security/passkeys/delete", delete);

		assertThat(Browser.location(removed, ISSUER)).isEqualTo(ISSUER + "/account/security?passkeyRemoved");
		assertThat(audits(user, "mfa.passkey_removed")).isEqualTo(1);
		Browser browser = new Browser();
		String csrf = Browser.csrfToken(Jsoup.parse(browser.get(ISSUER + "/login").body()));
		String options = browser.postJson(ISSUER + "/webauthn/authenticate/options", "", csrf).body();
		assertThat(browser.postJson(ISSUER + "/login/webauthn", authenticator.authenticate(options), csrf)
			.statusCode()).isEqualTo(401);
	}

	@Test
	void loginPageWhenRequestedThenOffersPasskeyWithScriptFromOwnOrigin() {
		Browser browser = new Browser();
		Document login = Jsoup.parse(browser.get(ISSUER + "/login").body());

		assertThat(login.getElementById("passkey-sign-in")).isNotNull();
		assertThat(login.select("script[src]").attr("src")).isEqualTo("/js/passkeys.js");
		HttpResponse<String> script = browser.get(ISSUER + "/js/passkeys.js");
		assertThat(script.statusCode()).isEqualTo(200);
		assertThat(script.body()).contains("/login/webauthn");
	}

	static void register(TestUserAccounts.Created user, SoftwareAuthenticator authenticator) throws Exception {
		Browser browser = new Browser();
		browser.signIn(ISSUER, user.username(), user.password());
		String csrf = Browser.csrfToken(Jsoup.parse(browser.get(ISSUER + "/account/security").body()));
		HttpResponse<String> options = browser.postJson(ISSUER + "/webauthn/register/options", "", csrf);
		assertThat(options.statusCode()).as(options.body()).isEqualTo(200);
		HttpResponse<String> registered = browser.postJson(ISSUER + "/webauthn/register",
				authenticator.register(options.body(), "Laptop"), csrf);
		assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
		assertThat(JSONObjectUtils.parse(registered.body()).get("success")).isEqualTo(true);
	}

	static String signInWithPasskey(Browser browser, SoftwareAuthenticator authenticator) throws Exception {
		String csrf = Browser.csrfToken(Jsoup.parse(browser.get(ISSUER + "/login").body()));
		HttpResponse<String> options = browser.postJson(ISSUER + "/webauthn/authenticate/options", "", csrf);
		assertThat(options.statusCode()).as(options.body()).isEqualTo(200);
		assertThat(JSONObjectUtils.parse(options.body()).get("userVerification")).isEqualTo("required");
		HttpResponse<String> signedIn = browser.postJson(ISSUER + "/login/webauthn",
				authenticator.authenticate(options.body()), csrf);
		assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(200);
		assertThat(JSONObjectUtils.parse(signedIn.body()).get("authenticated")).isEqualTo(true);
		String redirectUrl = (String) JSONObjectUtils.parse(signedIn.body()).get("redirectUrl");
		return URI.create(ISSUER).resolve(redirectUrl).toString();
	}

	private int audits(TestUserAccounts.Created user, String type) {
		Integer count = this.jdbc.queryForObject("SELECT count(*) FROM audit_event WHERE principal = ? AND type = ?",
				Integer.class, user.account().id().toString(), type);
		return (count != null) ? count : 0;
	}

}
