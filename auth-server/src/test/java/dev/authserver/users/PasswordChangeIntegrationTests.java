package dev.authserver.users;

import java.net.http.HttpResponse;
import java.util.Map;

import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import dev.authserver.Browser;
import dev.authserver.IntegrationTestSupport;
import dev.authserver.OidcTestClient;
import dev.authserver.TestRegisteredClients;
import dev.authserver.TestUserAccounts;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Change password" for a signed-in person, and the password change an admin can require at the next sign-in.
 */
class PasswordChangeIntegrationTests extends IntegrationTestSupport {

	private static final String NEW_PASSWORD = "velvet harbour cactus 19";

	@Autowired
	private Passwords passwords;

	@Test
	void changeWhenCurrentPasswordIsRightThenNewOneWorksAndRefreshTokensAreRevoked() {
		TestUserAccounts.Created user = newUser();
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		OidcTestClient rp = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
		OidcTestClient.Authorized authorized = rp.authorize(new Browser(), TestRegisteredClients.REDIRECT_URI,
				"openid", user);
		OIDCTokens tokens = OidcTestClient.success(rp.exchange(authorized.code(), authorized.request()))
			.getOIDCTokens();
		Browser browser = new Browser();
		browser.signIn(ISSUER, user.username(), user.password());

		HttpResponse<String> wrongCurrent = change(browser, "not-my-password", NEW_PASSWORD);
		assertThat(wrongCurrent.statusCode()).isEqualTo(200);
		assertThat(wrongCurrent.body()).contains("current password is not correct");
		HttpResponse<String> weak = change(browser, user.password(), "password1234");
		assertThat(weak.body()).contains("too common");
		HttpResponse<String> changed = change(browser, user.password(), NEW_PASSWORD);

		assertThat(Browser.location(changed, ISSUER)).isEqualTo(ISSUER + "/account/password?changed");
		// The session that made the change stays signed in.
		assertThat(browser.get(ISSUER + "/account/password?changed").body()).contains("Your password was changed");
		assertThat(Browser.location(new Browser().signIn(ISSUER, user.username(), user.password()), ISSUER))
			.isEqualTo(ISSUER + "/login?error");
		assertThat(Browser.location(new Browser().signIn(ISSUER, user.username(), NEW_PASSWORD), ISSUER))
			.isEqualTo(ISSUER + "/");
		assertThat(OidcTestClient.error(rp.token(new RefreshTokenGrant(tokens.getRefreshToken()))).getCode())
			.isEqualTo("invalid_grant");
	}

	@Test
	void changePageWhenNotSignedInThenSignInFirst() {
		HttpResponse<String> page = new Browser().get(ISSUER + "/account/password");

		assertThat(page.statusCode()).isEqualTo(302);
		assertThat(Browser.location(page, ISSUER)).isEqualTo(ISSUER + "/login");
	}

	@Test
	void whenAccountMustChangeItsPasswordThenThePersonChangesItBeforeTheApplicationGetsACode() {
		TestUserAccounts.Created user = newUser();
		this.passwords.requireChange(user.account().id(), true);
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		OidcTestClient rp = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
		OidcTestClient.Request request = rp.authorizationRequest(TestRegisteredClients.REDIRECT_URI, "openid");
		Browser browser = new Browser();

		browser.get(request.uri());
		HttpResponse<String> signedIn = browser.signIn(ISSUER, user.username(), user.password());
		String next = Browser.location(signedIn, ISSUER);
		HttpResponse<String> authorize = browser.get(next);

		assertThat(authorize.statusCode()).isEqualTo(302);
		assertThat(Browser.location(authorize, ISSUER)).isEqualTo(ISSUER + "/account/password");
		assertThat(Browser.location(browser.get(ISSUER + "/"), ISSUER)).isEqualTo(ISSUER + "/account/password");
		HttpResponse<String> page = browser.get(ISSUER + "/account/password");
		assertThat(page.body()).contains("needs a new password");

		HttpResponse<String> changed = AccountForms.submit(browser, ISSUER, page, "change-form",
				Map.of("currentPassword", user.password(), "newPassword", NEW_PASSWORD));

		// Back to the authorization request, which now goes on to the application.
		String back = Browser.location(changed, ISSUER);
		assertThat(back).startsWith(ISSUER + "/oauth2/authorize?");
		String callback = browser.authorize(ISSUER, back, user.username(), NEW_PASSWORD);
		assertThat(callback).startsWith(TestRegisteredClients.REDIRECT_URI + "?code=");
		assertThat(this.passwords.mustChange(user.account().id())).isFalse();
	}

	private static HttpResponse<String> change(Browser browser, String current, String next) {
		return AccountForms.submit(browser, ISSUER, ISSUER + "/account/password", "change-form",
				Map.of("currentPassword", current, "newPassword", next));
	}

}
