package dev.authserver;

import java.net.http.HttpResponse;
import java.util.Date;

import com.nimbusds.jwt.JWT;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OIDC Core 1.0 §3.1.2.1: {@code prompt=login} and an exceeded {@code max_age} make a signed-in person sign in
 * again, and {@code auth_time} tells the client when they did.
 */
class ReauthenticationIntegrationTests extends IntegrationTestSupport {

	@Test
	void authorizeWhenPromptIsLoginThenSignedInPersonMustSignInAgain() throws Exception {
		assertSignsInAgain("&prompt=login", 1_100);
	}

	@Test
	void authorizeWhenMaxAgeIsExceededThenSignedInPersonMustSignInAgain() throws Exception {
		assertSignsInAgain("&max_age=1", 2_100);
	}

	/** After {@code waitMillis}, a request with {@code parameters} sends the person to the login page again. */
	private void assertSignsInAgain(String parameters, long waitMillis) throws Exception {
		Session session = signedIn();
		Thread.sleep(waitMillis);

		OidcTestClient.Request request = session.rp().authorizationRequest(TestRegisteredClients.REDIRECT_URI,
				"openid profile");
		HttpResponse<String> response = session.browser().get(request.uri() + parameters);

		assertThat(Browser.location(response, ISSUER)).isEqualTo(ISSUER + "/login");
		IDTokenClaimsSet again = idToken(session, request.uri() + parameters, request);
		assertThat(again.getAuthenticationTime()).isAfter(session.firstSignIn());
	}

	@Test
	void whenAnotherSiteLinksToPromptLoginThenThePersonStaysSignedInUntilTheySignInAgain() {
		assertStaysSignedIn("&prompt=login");
	}

	@Test
	void whenAnotherSiteLinksToMaxAgeZeroThenThePersonStaysSignedInUntilTheySignInAgain() {
		assertStaysSignedIn("&max_age=0");
	}

	/** A signed-in person is sent to the login page by {@code parameters}, does not sign in, and is still signed in. */
	private void assertStaysSignedIn(String parameters) {
		Session session = signedIn();
		OidcTestClient.Request forced = session.rp().authorizationRequest(TestRegisteredClients.REDIRECT_URI,
				"openid profile");

		HttpResponse<String> response = session.browser().get(forced.uri() + parameters);
		assertThat(Browser.location(response, ISSUER)).isEqualTo(ISSUER + "/login");
		// Without a new sign-in the same request still issues no code.
		assertThat(Browser.location(session.browser().get(forced.uri() + parameters), ISSUER))
			.isEqualTo(ISSUER + "/login");

		// The person leaves the login page: their session is the one they had (no logout CSRF).
		assertThat(session.browser().get(ISSUER + "/account").statusCode()).isEqualTo(200);
		OidcTestClient.Request plain = session.rp().authorizationRequest(TestRegisteredClients.REDIRECT_URI,
				"openid profile");
		assertThat(Browser.location(session.browser().get(plain.uri()), ISSUER))
			.startsWith(TestRegisteredClients.REDIRECT_URI + "?code=");
	}

	@Test
	void authorizeWhenTheSamePromptLoginRequestComesAgainAfterASignInThenThePersonMustSignInAgain() {
		Session session = signedIn();
		// A client may send the same request twice (no state, a fixed nonce): each prompt=login asks for a sign-in.
		OidcTestClient.Request request = session.rp().authorizationRequest(TestRegisteredClients.REDIRECT_URI,
				"openid profile");
		String uri = request.uri() + "&prompt=login";
		assertThat(Browser.location(session.browser().get(uri), ISSUER)).isEqualTo(ISSUER + "/login");
		idToken(session, uri, request);

		assertThat(Browser.location(session.browser().get(uri), ISSUER)).isEqualTo(ISSUER + "/login");
	}

	@Test
	void authorizeWhenMaxAgeIsNotExceededThenNoSignInAndAuthTimeIsTheFirstOne() {
		Session session = signedIn();

		OidcTestClient.Request request = session.rp().authorizationRequest(TestRegisteredClients.REDIRECT_URI,
				"openid profile");
		HttpResponse<String> response = session.browser().get(request.uri() + "&max_age=3600");

		assertThat(Browser.location(response, ISSUER)).startsWith(TestRegisteredClients.REDIRECT_URI + "?code=");
		IDTokenClaimsSet idToken = idToken(session, request.uri() + "&max_age=3600", request);
		assertThat(idToken.getAuthenticationTime()).isEqualTo(session.firstSignIn());
	}

	@Test
	void authorizeWhenMaxAgeIsExceededWithPromptNoneThenLoginRequiredAndTheSessionStays() throws Exception {
		Session session = signedIn();
		Thread.sleep(2_100);

		OidcTestClient.Request request = session.rp().authorizationRequest(TestRegisteredClients.REDIRECT_URI,
				"openid profile");
		HttpResponse<String> response = session.browser().get(request.uri() + "&max_age=1&prompt=none");

		CallbackParameters callback = CallbackParameters.parse(Browser.location(response, ISSUER));
		assertThat(callback.get("error")).as(Browser.location(response, ISSUER)).isEqualTo("login_required");
		assertThat(callback.get("state")).isEqualTo(request.state().getValue());
		HttpResponse<String> without = session.browser()
			.get(session.rp().authorizationRequest(TestRegisteredClients.REDIRECT_URI, "openid profile").uri());
		assertThat(Browser.location(without, ISSUER)).startsWith(TestRegisteredClients.REDIRECT_URI + "?code=");
	}

	@Test
	void authorizeWhenPromptIsNoneAndIdTokenHintNamesAnotherPersonThenLoginRequired() {
		Session session = signedIn();
		Session someoneElse = signedIn();
		OidcTestClient.Request request = session.rp().authorizationRequest(TestRegisteredClients.REDIRECT_URI,
				"openid profile");

		HttpResponse<String> response = session.browser()
			.get(request.uri() + "&prompt=none&id_token_hint=" + someoneElse.idToken());

		CallbackParameters callback = CallbackParameters.parse(Browser.location(response, ISSUER));
		assertThat(callback.get("error")).as(Browser.location(response, ISSUER)).isEqualTo("login_required");
		assertThat(callback.get("code")).isNull();
		assertThat(callback.get("state")).isEqualTo(request.state().getValue());
		// The person's own ID token as the hint: a code, as without one.
		HttpResponse<String> own = session.browser()
			.get(request.uri() + "&prompt=none&id_token_hint=" + session.idToken());
		assertThat(Browser.location(own, ISSUER)).startsWith(TestRegisteredClients.REDIRECT_URI + "?code=");
	}

	@Test
	void authorizeWhenPromptIsNoneAndNobodyIsSignedInThenLoginRequiredWithoutTheLoginPage() {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		OidcTestClient rp = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
		OidcTestClient.Request request = rp.authorizationRequest(TestRegisteredClients.REDIRECT_URI, "openid");

		HttpResponse<String> response = new Browser().get(request.uri() + "&prompt=none");

		String location = Browser.location(response, ISSUER);
		assertThat(location).startsWith(TestRegisteredClients.REDIRECT_URI + "?");
		assertThat(CallbackParameters.parse(location).get("error")).isEqualTo("login_required");
		assertThat(CallbackParameters.parse(location).get("state")).isEqualTo(request.state().getValue());
	}

	@Test
	void authorizeWhenPromptIsNoneAndRedirectUriIsNotRegisteredThenErrorPageAndNoRedirect() {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		OidcTestClient rp = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
		OidcTestClient.Request request = rp.authorizationRequest("https://attacker.example/callback", "openid");

		HttpResponse<String> response = new Browser().get(request.uri() + "&prompt=none");

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Location")).isEmpty();
	}

	private Session signedIn() {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		OidcTestClient rp = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
		TestUserAccounts.Created user = newUser();
		Browser browser = new Browser();
		OidcTestClient.Authorized first = rp.authorize(browser, TestRegisteredClients.REDIRECT_URI, "openid profile",
				user);
		JWT issued = OidcTestClient.success(rp.exchange(first.code(), first.request())).getOIDCTokens().getIDToken();
		IDTokenClaimsSet idToken = rp.validate(issued, first.request().nonce());
		assertThat(idToken.getAuthenticationTime()).isNotNull();
		return new Session(rp, user, browser, idToken.getAuthenticationTime(), issued.serialize());
	}

	/** Follows the request in the session's browser (signing in when asked) and validates the ID token. */
	private static IDTokenClaimsSet idToken(Session session, String uri, OidcTestClient.Request request) {
		String callback = session.browser().authorize(ISSUER, uri, session.user().username(),
				session.user().password());
		String code = CallbackParameters.parse(callback).get("code");
		assertThat(code).as("code in " + callback).isNotNull();
		return session.rp()
			.validate(OidcTestClient.success(session.rp().exchange(code, request)).getOIDCTokens().getIDToken(),
					request.nonce());
	}

	private record Session(OidcTestClient rp, TestUserAccounts.Created user, Browser browser, Date firstSignIn,
			String idToken) {
	}

}
