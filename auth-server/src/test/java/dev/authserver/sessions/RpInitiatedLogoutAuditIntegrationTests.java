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
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every sign-out through RP-initiated logout is in the audit log as {@code user.signed_out}, naming the person and,
 * when known, the client; a logout that is not confirmed records nothing.
 */
class RpInitiatedLogoutAuditIntegrationTests extends IntegrationTestSupport {

	private static final String LOGOUT = ISSUER + "/connect/logout";

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void whenLogoutHasHintAndRedirectThenAuditedWithTheClient() {
		Browser browser = new Browser();
		OidcTestClient rp = newClient();
		SignedIn signedIn = signIn(browser, rp);

		HttpResponse<String> logout = browser.get(LOGOUT + query(Map.of("id_token_hint", signedIn.idToken(),
				"post_logout_redirect_uri", TestRegisteredClients.POST_LOGOUT_REDIRECT_URI)));

		assertThat(Browser.location(logout, ISSUER)).startsWith(TestRegisteredClients.POST_LOGOUT_REDIRECT_URI);
		assertThat(signedOutEvents(signedIn.user())).containsExactly(
				new Row(signedIn.user().subject(), rp.clientId().getValue(), "RP-initiated logout with id_token_hint"));
	}

	@Test
	void whenLogoutHasHintAndNoRedirectThenAuditedWithTheClient() {
		Browser browser = new Browser();
		OidcTestClient rp = newClient();
		SignedIn signedIn = signIn(browser, rp);

		HttpResponse<String> logout = browser.get(LOGOUT + query(Map.of("id_token_hint", signedIn.idToken())));

		assertThat(Browser.location(logout, ISSUER)).isEqualTo(ISSUER + "/logout/done");
		assertThat(signedOutEvents(signedIn.user())).containsExactly(
				new Row(signedIn.user().subject(), rp.clientId().getValue(), "RP-initiated logout with id_token_hint"));
	}

	@Test
	void whenLogoutWithoutHintIsConfirmedThenAuditedWithTheClientIdAndNotBefore() {
		Browser browser = new Browser();
		OidcTestClient rp = newClient();
		SignedIn signedIn = signIn(browser, rp);

		browser.get(LOGOUT + query(Map.of("client_id", rp.clientId().getValue())));
		Document page = Jsoup.parse(browser.get(ISSUER + "/logout/confirm").body());
		// Only asked so far (a link from anywhere can do that), and a forged confirmation fails: nothing recorded.
		assertThat(browser.postForm(ISSUER + "/logout/confirm", List.of()).statusCode()).isEqualTo(403);
		assertThat(signedOutEvents(signedIn.user())).isEmpty();

		browser.postForm(ISSUER + "/logout/confirm", Browser.formFields(page.selectFirst("#logout-form")));

		assertThat(signedOutEvents(signedIn.user())).containsExactly(new Row(signedIn.user().subject(),
				rp.clientId().getValue(), "RP-initiated logout, confirmed by the person"));
	}

	@Test
	void whenLogoutWithoutHintOrClientIsConfirmedThenAuditedWithoutAClient() {
		Browser browser = new Browser();
		SignedIn signedIn = signIn(browser, newClient());

		browser.get(LOGOUT);
		Document page = Jsoup.parse(browser.get(ISSUER + "/logout/confirm").body());
		browser.postForm(ISSUER + "/logout/confirm", Browser.formFields(page.selectFirst("#logout-form")));

		assertThat(signedOutEvents(signedIn.user())).containsExactly(
				new Row(signedIn.user().subject(), null, "RP-initiated logout, confirmed by the person"));
	}

	private List<Row> signedOutEvents(TestUserAccounts.Created user) {
		return this.jdbc.query(
				"SELECT actor, client_id, detail FROM audit_event WHERE principal = ? AND type = 'user.signed_out'",
				(rs, i) -> new Row(rs.getString("actor"), rs.getString("client_id"), rs.getString("detail")),
				user.subject());
	}

	private static String query(Map<String, String> parameters) {
		StringBuilder query = new StringBuilder();
		parameters.forEach((name, value) -> query.append((query.length() == 0) ? "?" : "&")
			.append(name)
			.append('=')
			.append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
		return query.toString();
	}

	private OidcTestClient newClient() {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		return new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
	}

	private SignedIn signIn(Browser browser, OidcTestClient rp) {
		TestUserAccounts.Created user = newUser();
		OidcTestClient.Authorized authorized = rp.authorize(browser, TestRegisteredClients.REDIRECT_URI, "openid",
				user);
		String idToken = OidcTestClient.success(rp.exchange(authorized.code(), authorized.request()))
			.getOIDCTokens()
			.getIDTokenString();
		return new SignedIn(user, idToken);
	}

	private record SignedIn(TestUserAccounts.Created user, String idToken) {
	}

	private record Row(String actor, String clientId, String detail) {
	}

}
