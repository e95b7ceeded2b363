package dev.authserver;

import java.net.http.HttpResponse;

import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OIDC Core 1.0 §3.1.2.1's {@code prompt} values that Spring leaves out: {@code consent} always asks, and
 * {@code none} with any other value is an {@code invalid_request} sent back to the client.
 */
class PromptIntegrationTests extends IntegrationTestSupport {

	@Test
	void whenPromptIsConsentThenThePersonIsAskedAgainThoughTheyConsentedBefore() {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		OidcTestClient rp = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
		Browser browser = new Browser();
		rp.authorize(browser, TestRegisteredClients.REDIRECT_URI, "openid profile", newUser());

		OidcTestClient.Request again = rp.authorizationRequest(TestRegisteredClients.REDIRECT_URI, "openid profile");
		assertThat(Browser.location(browser.get(again.uri()), ISSUER))
			.startsWith(TestRegisteredClients.REDIRECT_URI + "?code=");

		String consentPage = Browser.location(browser.get(again.uri() + "&prompt=consent"), ISSUER);
		assertThat(consentPage).startsWith(ISSUER + "/oauth2/consent?");
		HttpResponse<String> page = browser.get(consentPage);
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(Jsoup.parse(page.body()).getElementById("consent-form")).isNotNull();
	}

	@Test
	void whenPromptNoneIsCombinedWithAnotherValueThenInvalidRequestAtTheClient() {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		OidcTestClient rp = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
		Browser signedIn = new Browser();
		rp.authorize(signedIn, TestRegisteredClients.REDIRECT_URI, "openid profile", newUser());

		for (Browser browser : new Browser[] { new Browser(), signedIn }) {
			for (String prompt : new String[] { "none%20login", "none%20consent", "none%20select_account",
					"login%20none", "none%20create" }) {
				OidcTestClient.Request request = rp.authorizationRequest(TestRegisteredClients.REDIRECT_URI,
						"openid profile");
				String location = Browser.location(browser.get(request.uri() + "&prompt=" + prompt), ISSUER);

				assertThat(location).as(prompt).startsWith(TestRegisteredClients.REDIRECT_URI + "?");
				CallbackParameters callback = CallbackParameters.parse(location);
				assertThat(callback.get("error")).as(prompt + ": " + location).isEqualTo("invalid_request");
				assertThat(callback.get("state")).isEqualTo(request.state().getValue());
				assertThat(callback.get("code")).isNull();
			}
		}
	}


	@Test
	void whenLoginHintIsGivenThenTheLoginFormIsPrefilledWhetherOrNotTheAccountExists() {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		OidcTestClient rp = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
		TestUserAccounts.Created user = newUser();

		String existing = loginPage(rp, user.username());
		String unknown = loginPage(rp, "nobody-" + user.username());

		assertThat(Jsoup.parse(existing).getElementById("username").val()).isEqualTo(user.username());
		assertThat(Jsoup.parse(unknown).getElementById("username").val()).isEqualTo("nobody-" + user.username());
		// Nothing else on the page tells the two apart.
		assertThat(Jsoup.parse(existing).body().text().replace(user.username(), "HINT"))
			.isEqualTo(Jsoup.parse(unknown).body().text().replace("nobody-" + user.username(), "HINT"));
	}

	private static String loginPage(OidcTestClient rp, String hint) {
		Browser browser = new Browser();
		OidcTestClient.Request request = rp.authorizationRequest(TestRegisteredClients.REDIRECT_URI, "openid");
		String login = Browser.location(browser.get(request.uri() + "&login_hint="
				+ java.net.URLEncoder.encode(hint, java.nio.charset.StandardCharsets.UTF_8)), ISSUER);
		assertThat(login).isEqualTo(ISSUER + "/login");
		HttpResponse<String> page = browser.get(login);
		assertThat(page.statusCode()).isEqualTo(200);
		return page.body();
	}

}
