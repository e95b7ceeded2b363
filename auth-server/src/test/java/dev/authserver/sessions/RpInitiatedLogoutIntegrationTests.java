package dev.authserver.sessions;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.authserver.Browser;
import dev.authserver.IntegrationTestSupport;
import dev.authserver.OidcTestClient;
import dev.authserver.TestRegisteredClients;
import dev.authserver.TestUserAccounts;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OpenID Connect RP-Initiated Logout 1.0: with {@code id_token_hint} as before; without it the person confirms on a
 * CSRF-protected page, {@code client_id} names the client and only its registered {@code post_logout_redirect_uri}
 * is honoured; bad requests get a page that says what was wrong, and the person stays signed in.
 */
class RpInitiatedLogoutIntegrationTests extends IntegrationTestSupport {

	private static final String LOGOUT = ISSUER + "/connect/logout";

	@Test
	void whenLogoutHasHintAndRedirectThenSignedOutAndStateReturnedForGetAndPost() {
		for (String method : List.of("GET", "POST")) {
			Browser browser = new Browser();
			SignedIn signedIn = signIn(browser, newClient());
			HttpResponse<String> logout = logout(browser, method, Map.of("id_token_hint", signedIn.idToken(),
					"post_logout_redirect_uri", TestRegisteredClients.POST_LOGOUT_REDIRECT_URI, "state", "bye bye"));

			assertThat(Browser.location(logout, ISSUER)).as(method)
				.isEqualTo(TestRegisteredClients.POST_LOGOUT_REDIRECT_URI + "?state=bye%20bye");
			assertSignedOut(browser);
		}
	}

	@Test
	void whenLogoutHasHintAndNoRedirectThenTheSignedOutPage() {
		Browser browser = new Browser();
		SignedIn signedIn = signIn(browser, newClient());

		HttpResponse<String> logout = logout(browser, "GET", Map.of("id_token_hint", signedIn.idToken()));

		assertThat(Browser.location(logout, ISSUER)).isEqualTo(ISSUER + "/logout/done");
		assertSignedOut(browser);
		HttpResponse<String> done = browser.get(ISSUER + "/logout/done");
		assertThat(done.statusCode()).isEqualTo(200);
		assertThat(Jsoup.parse(done.body()).select("#signed-out").text()).isEqualTo("You are signed out");
	}

	@Test
	void whenLogoutHasNoHintThenThePersonConfirmsWithCsrfAndIsSignedOut() {
		for (String method : List.of("GET", "POST")) {
			Browser browser = new Browser();
			signIn(browser, newClient());

			HttpResponse<String> logout = logout(browser, method, Map.of());

			assertThat(Browser.location(logout, ISSUER)).as(method).isEqualTo(ISSUER + "/logout/confirm");
			assertSignedIn(browser);
			Document page = Jsoup.parse(browser.get(ISSUER + "/logout/confirm").body());
			assertThat(page.select("h1").text()).isEqualTo("Sign out of Auth Server?");
			Element form = page.selectFirst("#logout-form");
			assertThat(form).isNotNull();
			// A cross-site post (no CSRF token) ends nothing.
			HttpResponse<String> forged = browser.postForm(ISSUER + "/logout/confirm", List.of());
			assertThat(forged.statusCode()).isEqualTo(403);
			assertSignedIn(browser);

			HttpResponse<String> confirmed = browser.postForm(ISSUER + "/logout/confirm", Browser.formFields(form));

			assertThat(Browser.location(confirmed, ISSUER)).isEqualTo(ISSUER + "/logout/done");
			assertSignedOut(browser);
		}
	}

	@Test
	void whenLogoutHasNoHintButClientIdAndRegisteredRedirectThenRedirectAfterConfirm() {
		Browser browser = new Browser();
		OidcTestClient rp = newClient();
		signIn(browser, rp);

		HttpResponse<String> logout = logout(browser, "GET",
				Map.of("client_id", rp.clientId().getValue(), "post_logout_redirect_uri",
						TestRegisteredClients.POST_LOGOUT_REDIRECT_URI, "state", "s1 {x}"));

		assertThat(Browser.location(logout, ISSUER)).isEqualTo(ISSUER + "/logout/confirm");
		Document page = Jsoup.parse(browser.get(ISSUER + "/logout/confirm").body());
		assertThat(page.select("#logout-client").text()).contains("Photo Printer");
		HttpResponse<String> confirmed = browser.postForm(ISSUER + "/logout/confirm",
				Browser.formFields(page.selectFirst("#logout-form")));
		assertThat(Browser.location(confirmed, ISSUER))
			.isEqualTo(TestRegisteredClients.POST_LOGOUT_REDIRECT_URI + "?state=s1%20%7Bx%7D");
		assertSignedOut(browser);
	}

	@Test
	void whenNotSignedInAndNoHintThenStraightToTheRegisteredRedirect() {
		OidcTestClient rp = newClient();

		HttpResponse<String> logout = logout(new Browser(), "GET",
				Map.of("client_id", rp.clientId().getValue(), "post_logout_redirect_uri",
						TestRegisteredClients.POST_LOGOUT_REDIRECT_URI, "state", "s2"));

		assertThat(Browser.location(logout, ISSUER))
			.isEqualTo(TestRegisteredClients.POST_LOGOUT_REDIRECT_URI + "?state=s2");
	}

	@Test
	void whenLogoutRequestIsBadThenAPageSaysWhatWasWrongAndThePersonStaysSignedIn() {
		Browser browser = new Browser();
		OidcTestClient rp = newClient();
		OidcTestClient other = newClient();
		SignedIn signedIn = signIn(browser, rp);
		String registered = TestRegisteredClients.POST_LOGOUT_REDIRECT_URI;
		List<Case> cases = List.of(
				new Case("foreign redirect with client_id", "post_logout_redirect_uri",
						Map.of("client_id", rp.clientId().getValue(), "post_logout_redirect_uri",
								"https://attacker.example/")),
				new Case("unregistered redirect", "post_logout_redirect_uri",
						Map.of("client_id", rp.clientId().getValue(), "post_logout_redirect_uri",
								registered + "/x")),
				new Case("redirect without hint or client_id", "post_logout_redirect_uri",
						Map.of("post_logout_redirect_uri", registered)),
				new Case("unknown client_id", "client_id", Map.of("client_id", "no-such-client")),
				new Case("hint for another client than client_id", "client_id",
						Map.of("id_token_hint", signedIn.idToken(), "client_id", other.clientId().getValue())),
				new Case("hint with foreign redirect", "post_logout_redirect_uri",
						Map.of("id_token_hint", signedIn.idToken(), "post_logout_redirect_uri",
								"https://attacker.example/")),
				new Case("invalid hint", "id_token_hint", Map.of("id_token_hint", "not.a.token")),
				new Case("hint that is not ours", "id_token_hint", Map.of("id_token_hint",
						"eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")));
		for (Case bad : cases) {
			for (String method : List.of("GET", "POST")) {
				HttpResponse<String> answer = logout(browser, method, bad.parameters());

				assertThat(answer.statusCode()).as(bad.name() + " " + method).isEqualTo(400);
				assertThat(answer.headers().firstValue("Location")).as(bad.name()).isEmpty();
				Document page = Jsoup.parse(answer.body());
				assertThat(page.select("#error-description").text()).as(bad.name()).contains(bad.parameter());
				assertThat(answer.body()).doesNotContain("Exception").doesNotContain("at org.");
				assertSignedIn(browser);
			}
		}
		// Duplicated parameters are refused the same way.
		HttpResponse<String> duplicated = browser.get(LOGOUT + "?client_id=" + rp.clientId().getValue()
				+ "&client_id=" + other.clientId().getValue());
		assertThat(duplicated.statusCode()).isEqualTo(400);
		assertSignedIn(browser);
	}

	private HttpResponse<String> logout(Browser browser, String method, Map<String, String> parameters) {
		if (method.equals("POST")) {
			return browser.postForm(LOGOUT, List.copyOf(parameters.entrySet()));
		}
		StringBuilder query = new StringBuilder();
		parameters.forEach((name, value) -> query.append((query.length() == 0) ? "?" : "&")
			.append(name)
			.append('=')
			.append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
		return browser.get(LOGOUT + query);
	}

	private OidcTestClient newClient() {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient().clientName("Photo Printer"));
		return new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
	}

	private SignedIn signIn(Browser browser, OidcTestClient rp) {
		TestUserAccounts.Created user = newUser();
		OidcTestClient.Authorized authorized = rp.authorize(browser, TestRegisteredClients.REDIRECT_URI, "openid",
				user);
		String idToken = OidcTestClient.success(rp.exchange(authorized.code(), authorized.request()))
			.getOIDCTokens()
			.getIDTokenString();
		assertSignedIn(browser);
		return new SignedIn(user, idToken);
	}

	private static void assertSignedIn(Browser browser) {
		assertThat(browser.get(ISSUER + "/").statusCode()).as("signed in").isEqualTo(200);
	}

	private static void assertSignedOut(Browser browser) {
		HttpResponse<String> home = browser.get(ISSUER + "/");
		assertThat(home.statusCode()).as("signed out").isEqualTo(302);
		assertThat(Browser.location(home, ISSUER)).isEqualTo(ISSUER + "/login");
	}

	private record SignedIn(TestUserAccounts.Created user, String idToken) {
	}

	private record Case(String name, String parameter, Map<String, String> parameters) {
	}

}
