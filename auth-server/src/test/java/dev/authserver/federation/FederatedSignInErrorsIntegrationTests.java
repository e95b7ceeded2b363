package dev.authserver.federation;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import com.github.tomakehurst.wiremock.http.Fault;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.authserver.Browser;
import dev.authserver.CallbackParameters;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What goes wrong on the way back from a provider: the person cancels, the state is missing or someone else's, a
 * code arrives at the wrong callback, the provider is down, slow or answers garbage, and Google ID tokens that must
 * not validate. Each ends on a readable page with a way back, an audit event, no 5xx, and no account.
 */
class FederatedSignInErrorsIntegrationTests extends FederationIntegrationTestSupport {

	@Test
	void whenPersonCancelsAtProviderThenErrorPageAndAuditEvent() {
		Browser browser = new Browser();
		CallbackParameters request = startAt(browser, "github");

		HttpResponse<String> response = browser
			.get(ISSUER + "/login/oauth2/code/github?error=access_denied&state=" + request.get("state"));

		assertErrorPage(browser, response, "access_denied", "cancelled");
		assertThat(auditEvents("federation.error", "github: access_denied")).isPositive();
	}

	@Test
	void whenStateIsMissingOrForeignThenRefusedAndNoAccount() {
		long gitHubId = newGitHubId();
		Browser victim = new Browser();
		CallbackParameters victimRequest = startAt(victim, "github");
		String code = "code-" + UUID.randomUUID();
		providers.gitHubUser(code, ProviderStandIns.GitHubUser.withVerifiedEmail(gitHubId, "s", uniqueEmail("s")));

		Browser attacker = new Browser();
		startAt(attacker, "github");
		HttpResponse<String> foreign = callback(attacker, "github", code, victimRequest.get("state"));
		HttpResponse<String> missing = attacker.get(ISSUER + "/login/oauth2/code/github?code=" + code);

		assertErrorPage(attacker, foreign, "authorization_request_not_found", "did not start here");
		assertErrorPage(attacker, missing, "invalid_request", null);
		assertThat(identity("github", String.valueOf(gitHubId))).isEmpty();
		assertThat(providers.server.findAll(postRequestedFor(urlPathEqualTo("/github/token"))
			.withRequestBody(containing("code=" + code)))).isEmpty();
	}

	@Test
	void whenGoogleCodeArrivesAtGitHubCallbackThenRefused() {
		Browser browser = new Browser();
		CallbackParameters request = startAt(browser, "google");
		String code = "code-" + UUID.randomUUID();
		String subject = "google-" + UUID.randomUUID();
		providers.googleToken(code,
				providers.sign(providers.googleClaims(subject, uniqueEmail("g"), true, request.get("nonce")).build()));

		HttpResponse<String> response = callback(browser, "github", code, request.get("state"));

		assertErrorPage(browser, response, "invalid_redirect_uri_parameter", null);
		assertThat(identity("google", subject)).isEmpty();
		assertThat(providers.server.findAll(postRequestedFor(urlPathEqualTo("/google/token"))
			.withRequestBody(containing("code=" + code)))).isEmpty();
	}

	@Test
	void whenProviderIsDownThenErrorPage() {
		assertTokenEndpointFailure(aResponse().withStatus(503).withBody("Service Unavailable"));
		assertTokenEndpointFailure(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
	}

	@Test
	void whenProviderIsSlowThenTimeoutAndErrorPage() {
		long start = System.nanoTime();
		assertTokenEndpointFailure(okJson("{\"access_token\":\"late\",\"token_type\":\"bearer\"}").withFixedDelay(8000));
		// The read timeout is 3 s in these tests: the person is not kept waiting for the provider.
		assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(7000);
	}

	@Test
	void whenProviderAnswersGarbageThenErrorPage() {
		assertTokenEndpointFailure(aResponse().withStatus(200)
			.withHeader("Content-Type", "text/html")
			.withBody("<html>not a token</html>"));
		assertTokenEndpointFailure(okJson("{\"no\":\"token\"}"));
	}

	@Test
	void whenGitHubUserApiAnswersGarbageThenErrorPage() {
		Browser browser = new Browser();
		CallbackParameters request = startAt(browser, "github");
		String code = "code-" + UUID.randomUUID();
		providers.server.stubFor(post(urlPathEqualTo("/github/token")).withRequestBody(containing("code=" + code))
			.willReturn(okJson("{\"access_token\":\"garbage-user\",\"token_type\":\"bearer\"}")));
		providers.server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/github/user"))
			.withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bearer garbage-user"))
			.willReturn(okJson("{\"login\":\"no-id\"}")));

		HttpResponse<String> response = callback(browser, "github", code, request.get("state"));

		assertErrorPage(browser, response, null, "could not use");
	}

	@Test
	void whenGoogleIdTokenHasWrongIssuerAudienceNonceSignatureOrIsExpiredThenRefused() throws Exception {
		RSAKey otherKey = new RSAKeyGenerator(2048).keyID(providers.signingKey.getKeyID()).generate();
		Instant past = Instant.now().minusSeconds(7200);
		assertIdTokenRefused((claims) -> providers.sign(claims.issuer("https://accounts.evil.example").build()));
		assertIdTokenRefused((claims) -> providers.sign(claims.audience("someone-else").build()));
		assertIdTokenRefused((claims) -> providers.sign(claims.claim("nonce", "not-the-nonce").build()));
		assertIdTokenRefused((claims) -> ProviderStandIns.sign(claims.build(), otherKey));
		assertIdTokenRefused((claims) -> providers
			.sign(claims.issueTime(Date.from(past)).expirationTime(Date.from(past.plusSeconds(600))).build()));
	}

	private void assertIdTokenRefused(java.util.function.Function<JWTClaimsSet.Builder, String> idToken) {
		Browser browser = new Browser();
		CallbackParameters request = startAt(browser, "google");
		String code = "code-" + UUID.randomUUID();
		String subject = "google-" + UUID.randomUUID();
		providers.googleToken(code,
				idToken.apply(providers.googleClaims(subject, uniqueEmail("bad"), true, request.get("nonce"))));

		HttpResponse<String> response = callback(browser, "google", code, request.get("state"));

		assertErrorPage(browser, response, null, null);
		assertThat(Browser.location(response, ISSUER)).matches(".*error=invalid_(id_token|nonce)$");
		assertThat(identity("google", subject)).isEmpty();
		assertThat(auditEvents("federation.error", "google: invalid_")).isPositive();
	}

	private void assertTokenEndpointFailure(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer) {
		Browser browser = new Browser();
		CallbackParameters request = startAt(browser, "github");
		String code = "code-" + UUID.randomUUID();
		providers.server
			.stubFor(post(urlPathEqualTo("/github/token")).withRequestBody(containing("code=" + code)).willReturn(answer));

		HttpResponse<String> response = callback(browser, "github", code, request.get("state"));

		assertErrorPage(browser, response, "invalid_token_response", "try again later");
		assertThat(auditEvents("federation.error", "github: invalid_token_response")).isPositive();
	}

	/** A redirect to our error page (never a 5xx), which a person can read and leave. */
	private static void assertErrorPage(Browser browser, HttpResponse<String> response, String error,
			String messageContains) {
		assertThat(response.statusCode()).isEqualTo(302);
		String location = Browser.location(response, ISSUER);
		assertThat(location).startsWith(ISSUER + FederationController.ERROR_PATH + "?error=");
		if (error != null) {
			assertThat(location).endsWith("error=" + error);
		}
		HttpResponse<String> page = browser.get(location);
		assertThat(page.statusCode()).isEqualTo(200);
		Document document = Jsoup.parse(page.body());
		assertThat(document.getElementById("back-to-sign-in")).isNotNull();
		if (messageContains != null) {
			assertThat(document.getElementById("federation-error").text()).contains(messageContains);
		}
		assertThat(page.body()).doesNotContain("Exception").doesNotContain("at org.");
		// Nobody is signed in.
		assertThat(Browser.location(browser.get(ISSUER + "/account"), ISSUER)).isEqualTo(ISSUER + "/login");
	}

}
