package dev.authserver.federation;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;

import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import dev.authserver.Browser;
import dev.authserver.CallbackParameters;
import dev.authserver.IntegrationTestSupport;
import dev.authserver.OidcTestClient;
import dev.authserver.TestRegisteredClients;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of the federation tests: the whole server, with WireMock standing in for Google and GitHub. The stand-ins are
 * configured for every integration test (see {@link IntegrationTestSupport}), so all share one Spring context and one
 * port. Google auto-link is on and its hosted-domain allow-list is {@value ProviderStandIns#HOSTED_DOMAIN}; GitHub
 * auto-link is off.
 */
abstract class FederationIntegrationTestSupport extends IntegrationTestSupport {

	static final ProviderStandIns providers = ProviderStandIns.shared();

	@Autowired
	protected JdbcTemplate jdbc;

	/** What the stand-in provider must answer for the code it is about to hand out, given the request's nonce. */
	@FunctionalInterface
	interface ProviderAnswer extends BiConsumer<String, String> {

	}

	static ProviderAnswer gitHub(ProviderStandIns.GitHubUser user) {
		return (code, nonce) -> providers.gitHubUser(code, user);
	}

	static ProviderAnswer google(String subject, String email, boolean emailVerified) {
		return (code, nonce) -> providers.googleToken(code,
				providers.sign(providers.googleClaims(subject, email, emailVerified, nonce).build()));
	}

	/** Starts a sign-in with the provider and returns the authorization request it was sent. */
	static CallbackParameters startAt(Browser browser, String registrationId) {
		HttpResponse<String> response = browser.get(ISSUER + "/oauth2/authorization/" + registrationId);
		assertThat(response.statusCode()).isEqualTo(302);
		String location = Browser.location(response, ISSUER);
		assertThat(location).startsWith(providers.baseUrl() + "/" + registrationId + "/authorize?");
		return CallbackParameters.parse(location);
	}

	/** The provider's redirect back to us with a code, and our answer to it. */
	static HttpResponse<String> callback(Browser browser, String registrationId, String code, String state) {
		return browser.get(ISSUER + "/login/oauth2/code/" + registrationId + "?code=" + code + "&state=" + state);
	}

	/** A whole sign-in at the provider; returns where we sent the browser afterwards. */
	static String signIn(Browser browser, String registrationId, ProviderAnswer answer) {
		CallbackParameters request = startAt(browser, registrationId);
		String code = "code-" + UUID.randomUUID();
		answer.accept(code, request.get("nonce"));
		HttpResponse<String> response = callback(browser, registrationId, code, request.get("state"));
		assertThat(response.statusCode()).as("answer to the callback").isEqualTo(302);
		return Browser.location(response, ISSUER);
	}

	OidcTestClient newRelyingParty() {
		// These tests read the claims from the ID token: the client's registration asks for them there.
		RegisteredClient client = save(TestRegisteredClients.confidentialClientReadingIdTokenClaims());
		return new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
	}

	/**
	 * An application's authorization request with {@code idp_hint}, followed the way a browser does: straight to the
	 * provider, back, consent, and on to the application. Returns the subject of the ID token it gets, validated by
	 * Nimbus.
	 */
	String subjectAfterAuthorizing(Browser browser, OidcTestClient rp, String registrationId, ProviderAnswer answer) {
		return idTokenAfterAuthorizing(browser, rp, registrationId, answer).getSubject().getValue();
	}

	com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet idTokenAfterAuthorizing(Browser browser, OidcTestClient rp,
			String registrationId, ProviderAnswer answer) {
		OidcTestClient.Request request = rp.authorizationRequest(TestRegisteredClients.REDIRECT_URI,
				"openid profile email");
		String next = request.uri() + "&idp_hint=" + registrationId;
		for (int hop = 0; hop < 12; hop++) {
			if (next.startsWith(TestRegisteredClients.REDIRECT_URI)) {
				CallbackParameters callback = CallbackParameters.parse(next);
				assertThat(callback.get("error")).as("error in " + next).isNull();
				assertThat(callback.get("state")).isEqualTo(request.state().getValue());
				JWT idToken = OidcTestClient.success(rp.exchange(callback.get("code"), request))
					.getOIDCTokens()
					.getIDToken();
				return rp.validate(idToken, request.nonce());
			}
			HttpResponse<String> response = browser.get(next);
			if (response.statusCode() == 302) {
				String location = Browser.location(response, next);
				if (location.startsWith(providers.baseUrl())) {
					CallbackParameters parameters = CallbackParameters.parse(location);
					assertThat(parameters.get("code_challenge_method")).isEqualTo("S256");
					String code = "code-" + UUID.randomUUID();
					answer.accept(code, parameters.get("nonce"));
					next = ISSUER + "/login/oauth2/code/" + registrationId + "?code=" + code + "&state="
							+ parameters.get("state");
					continue;
				}
				if (!location.startsWith(TestRegisteredClients.REDIRECT_URI)) {
					assertThat(location).as("redirect").startsWith(ISSUER).doesNotContain("/federation/error");
				}
				next = location;
				continue;
			}
			assertThat(response.statusCode()).as("answer to " + next).isEqualTo(200);
			Document page = Jsoup.parse(response.body());
			Element consent = page.getElementById("consent-form");
			assertThat(consent).as("expected the consent page at " + next).isNotNull();
			HttpResponse<String> approved = browser.postForm(ISSUER + "/oauth2/authorize", Browser.formFields(consent));
			assertThat(approved.statusCode()).isEqualTo(302);
			next = Browser.location(approved, ISSUER);
		}
		throw new AssertionError("Too many redirects");
	}

	/** The PKCE pair checks out: the verifier GitHub or Google got matches the challenge they were sent. */
	static boolean pkceMatches(String challenge, String verifier) {
		return CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier(verifier)).getValue().equals(challenge);
	}

	List<Map<String, Object>> identitiesOf(UUID userAccountId) {
		return this.jdbc.queryForList("SELECT * FROM federated_identity WHERE user_account_id = ?", userAccountId);
	}

	List<Map<String, Object>> identity(String registrationId, String subject) {
		return this.jdbc.queryForList("SELECT * FROM federated_identity WHERE registration_id = ? AND subject = ?",
				registrationId, subject);
	}

	long auditEvents(String type, String detailContains) {
		Long count = this.jdbc.queryForObject("SELECT count(*) FROM audit_event WHERE type = ? AND detail LIKE ?",
				Long.class, type, "%" + detailContains + "%");
		return (count != null) ? count : 0;
	}

	static long newGitHubId() {
		return Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L) + 1;
	}

	static String uniqueEmail(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
	}

}
