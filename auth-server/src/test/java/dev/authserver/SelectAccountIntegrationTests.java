package dev.authserver;

import java.net.http.HttpResponse;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.nimbusds.jwt.JWT;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OIDC Core 1.0 §3.1.2.1: {@code prompt=select_account} asks a signed-in person whether to continue as themselves
 * or to use another account; with nobody signed in it is the login form.
 */
class SelectAccountIntegrationTests extends IntegrationTestSupport {

	private static final String PROMPT = "&prompt=select_account";

	@Test
	void whenThePersonContinuesThenCodeForTheSamePersonWithoutSigningInAgain() {
		Session session = signedIn();
		OidcTestClient.Request request = session.rp().authorizationRequest(TestRegisteredClients.REDIRECT_URI,
				"openid profile");

		Document page = accountPage(session.browser(), request.uri() + PROMPT);
		assertThat(page.getElementById("signed-in-as").text()).contains(session.user().username());
		assertThat(page.getElementById("continue-form").text()).startsWith("Continue as ");
		String resume = answer(session.browser(), page, "continue-form");

		assertThat(resume).isEqualTo(request.uri() + PROMPT);
		// Straight to the client: neither the login page nor the account page again.
		String callback = Browser.location(session.browser().get(resume), ISSUER);
		assertThat(callback).startsWith(TestRegisteredClients.REDIRECT_URI + "?code=");
		IDTokenClaimsSet idToken = idToken(session.rp(), CallbackParameters.parse(callback).get("code"), request);
		assertThat(idToken.getSubject().getValue()).isEqualTo(session.user().subject());
		assertThat(idToken.getAuthenticationTime()).isEqualTo(session.authTime());
	}

	@Test
	void whenThePersonUsesAnotherAccountThenTheCodeNamesTheSecondPerson() {
		Session session = signedIn();
		TestUserAccounts.Created second = newUser();
		OidcTestClient.Request request = session.rp().authorizationRequest(TestRegisteredClients.REDIRECT_URI,
				"openid profile");

		Document page = accountPage(session.browser(), request.uri() + PROMPT);
		String resume = answer(session.browser(), page, "another-form");
		assertThat(Browser.location(session.browser().get(resume), ISSUER)).isEqualTo(ISSUER + "/login");
		// Until the new sign-in succeeds, the first person is still signed in.
		assertThat(session.browser().get(ISSUER + "/account").statusCode()).isEqualTo(200);

		String callback = session.browser().authorize(ISSUER, resume, second.username(), second.password());
		String code = CallbackParameters.parse(callback).get("code");
		assertThat(code).as(callback).isNotNull();
		assertThat(idToken(session.rp(), code, request).getSubject().getValue()).isEqualTo(second.subject());
	}

	@Test
	void whenNobodyIsSignedInThenTheLoginFormAndAfterSignInTheCode() {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		OidcTestClient rp = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
		TestUserAccounts.Created user = newUser();
		Browser browser = new Browser();
		OidcTestClient.Request request = rp.authorizationRequest(TestRegisteredClients.REDIRECT_URI, "openid profile");

		assertThat(Browser.location(browser.get(request.uri() + PROMPT), ISSUER)).isEqualTo(ISSUER + "/login");
		// Browser.authorize fails on any page other than login and consent: the account page is not shown.
		String callback = browser.authorize(ISSUER, request.uri() + PROMPT, user.username(), user.password());
		String code = CallbackParameters.parse(callback).get("code");
		assertThat(code).as(callback).isNotNull();
		assertThat(idToken(rp, code, request).getSubject().getValue()).isEqualTo(user.subject());
	}

	@Test
	void whenThereIsNoPromptThenNoAccountPage() {
		Session session = signedIn();
		OidcTestClient.Request request = session.rp().authorizationRequest(TestRegisteredClients.REDIRECT_URI,
				"openid profile");

		assertThat(Browser.location(session.browser().get(request.uri()), ISSUER))
			.startsWith(TestRegisteredClients.REDIRECT_URI + "?code=");
	}

	@Test
	void whenAnotherSiteLinksToSelectAccountThenNobodyIsSignedOutAndTheAnswerNeedsTheCsrfToken() {
		Session session = signedIn();
		OidcTestClient.Request request = session.rp().authorizationRequest(TestRegisteredClients.REDIRECT_URI,
				"openid profile");
		String pageUrl = Browser.location(session.browser().get(request.uri() + PROMPT), ISSUER);
		assertThat(pageUrl).startsWith(ISSUER + "/select-account?request=");
		String requestKey = pageUrl.substring(pageUrl.indexOf('=') + 1);

		// A cross-site form post carries no CSRF token.
		for (String choice : new String[] { "another", "continue" }) {
			HttpResponse<String> forged = session.browser().postForm(ISSUER + "/select-account",
					List.of(Map.entry("request", requestKey), Map.entry("choice", choice)));
			assertThat(forged.statusCode()).isEqualTo(403);
		}
		// The same request without an answer shows the page again; the session is the one the person had.
		assertThat(Browser.location(session.browser().get(request.uri() + PROMPT), ISSUER)).isEqualTo(pageUrl);
		assertThat(session.browser().get(ISSUER + "/account").statusCode()).isEqualTo(200);
		OidcTestClient.Request plain = session.rp().authorizationRequest(TestRegisteredClients.REDIRECT_URI,
				"openid profile");
		assertThat(Browser.location(session.browser().get(plain.uri()), ISSUER))
			.startsWith(TestRegisteredClients.REDIRECT_URI + "?code=");
	}

	@Test
	void whenTheAccountPageIsOpenedWithoutAPendingRequestThenHomePage() {
		Session session = signedIn();

		HttpResponse<String> response = session.browser().get(ISSUER + "/select-account?request=unknown");

		assertThat(Browser.location(response, ISSUER)).isEqualTo(ISSUER + "/");
	}

	@Test
	void whenTheAnswerIsMalformedThenNoServerError() {
		Session session = signedIn();
		String csrf = Browser.csrfToken(Jsoup.parse(session.browser().get(ISSUER + "/").body()));

		for (String request : List.of("{x}", "%7Bx%7D", "a b", "\u00e9")) {
			HttpResponse<String> response = session.browser().postForm(ISSUER + "/select-account",
					List.of(Map.entry("_csrf", csrf), Map.entry("request", request), Map.entry("choice", "neither")));

			assertThat(response.statusCode()).as(request).isEqualTo(302);
			assertThat(Browser.location(response, ISSUER)).startsWith(ISSUER + "/select-account?request=");
		}
	}

	/** Follows the authorization request to the account page and returns it. */
	private static Document accountPage(Browser browser, String authorizationRequest) {
		String pageUrl = Browser.location(browser.get(authorizationRequest), ISSUER);
		assertThat(pageUrl).startsWith(ISSUER + "/select-account?");
		HttpResponse<String> page = browser.get(pageUrl);
		assertThat(page.statusCode()).isEqualTo(200);
		return Jsoup.parse(page.body());
	}

	/** Submits one of the page's forms and returns where it sends the browser. */
	private static String answer(Browser browser, Document page, String formId) {
		Element form = page.getElementById(formId);
		assertThat(form).isNotNull();
		HttpResponse<String> answered = browser.postForm(ISSUER + "/select-account", Browser.formFields(form));
		assertThat(answered.statusCode()).isEqualTo(302);
		return Browser.location(answered, ISSUER);
	}

	private static IDTokenClaimsSet idToken(OidcTestClient rp, String code, OidcTestClient.Request request) {
		JWT issued = OidcTestClient.success(rp.exchange(code, request)).getOIDCTokens().getIDToken();
		return rp.validate(issued, request.nonce());
	}

	private Session signedIn() {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		OidcTestClient rp = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
		TestUserAccounts.Created user = newUser();
		Browser browser = new Browser();
		OidcTestClient.Authorized first = rp.authorize(browser, TestRegisteredClients.REDIRECT_URI, "openid profile",
				user);
		IDTokenClaimsSet idToken = idToken(rp, first.code(), first.request());
		return new Session(rp, user, browser, idToken.getAuthenticationTime());
	}

	private record Session(OidcTestClient rp, TestUserAccounts.Created user, Browser browser,
			Date authTime) {
	}

}
