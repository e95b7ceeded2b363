package dev.authserver;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the server must refuse: redirect URIs that are not the registered string, authorization requests without
 * proper PKCE, codes used twice or by another client, and clients that authenticate wrongly.
 */
class AuthorizationRequestRefusalIntegrationTests extends IntegrationTestSupport {

	private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

	@ParameterizedTest
	@ValueSource(strings = { "https://client.example.com/callback/extra", "https://client.example.com/callback/",
			"https://client.example.com:8443/callback", "https://client.example.com:443/callback",
			"https://client.example.com/callback?next=/admin", "https://client.example.com/callback#fragment",
			"https://client.example.com/callback/../callback", "https://client.example.com/x/../callback",
			"https://client.example.com/%2e%2e/callback", "https://client.example.com@attacker.example/callback",
			"https://attacker.example@client.example.com/callback", "https://client.example.com.attacker.example/callback",
			"http://client.example.com/callback", "HTTPS://CLIENT.EXAMPLE.COM/callback",
			"https://client.example.com/Callback", "https://client.example.com/callback%20", "//attacker.example/callback",
			"javascript:alert(1)", "not a uri" })
	void authorizeWhenRedirectUriIsNotTheRegisteredStringThenErrorPageAndNoRedirect(String redirectUri) {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		String request = authorizeUrl(client.getClientId(), redirectUri, "&code_challenge=" + CHALLENGE
				+ "&code_challenge_method=S256");

		assertErrorPageWithoutRedirect(new Browser().get(request));
		// Signed in or not, the answer is the same.
		Browser signedIn = new Browser();
		TestUserAccounts.Created user = newUser();
		signedIn.signIn(ISSUER, user.username(), user.password());
		assertErrorPageWithoutRedirect(signedIn.get(request));
	}

	@Test
	void authorizeWhenRedirectUriOfConfidentialClientUsesOtherLoopbackPortThenRefused() {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient()
			.redirectUris((uris) -> uris.add("http://127.0.0.1:8090/callback")));

		assertErrorPageWithoutRedirect(new Browser().get(authorizeUrl(client.getClientId(),
				"http://127.0.0.1:8091/callback", "&code_challenge=" + CHALLENGE + "&code_challenge_method=S256")));
	}

	@Test
	void authorizeWhenClientIsUnknownThenErrorPageAndNoRedirect() {
		assertErrorPageWithoutRedirect(new Browser().get(authorizeUrl("no-such-client",
				TestRegisteredClients.REDIRECT_URI, "&code_challenge=" + CHALLENGE + "&code_challenge_method=S256")));
	}

	@Test
	void authorizeWhenOpenIdRequestHasNoRedirectUriThenErrorPageAndNoRedirect() {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		String request = ISSUER + "/oauth2/authorize?response_type=code&client_id=" + client.getClientId()
				+ "&scope=openid&state=xyz&code_challenge=" + CHALLENGE + "&code_challenge_method=S256";

		assertErrorPageWithoutRedirect(new Browser().get(request));
	}

	@Test
	void authorizeWhenCodeChallengeMissingThenClientGetsInvalidRequest() {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());

		assertRedirectedError(new Browser().get(authorizeUrl(client.getClientId(), TestRegisteredClients.REDIRECT_URI,
				"")), "invalid_request");
	}

	@Test
	void authorizeWhenCodeChallengeMethodIsPlainOrMissingThenClientGetsInvalidRequest() {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		String plainChallenge = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

		assertRedirectedError(new Browser().get(authorizeUrl(client.getClientId(), TestRegisteredClients.REDIRECT_URI,
				"&code_challenge=" + plainChallenge + "&code_challenge_method=plain")), "invalid_request");
		assertRedirectedError(new Browser().get(authorizeUrl(client.getClientId(), TestRegisteredClients.REDIRECT_URI,
				"&code_challenge=" + plainChallenge)), "invalid_request");
	}

	@Test
	void authorizeWhenPublicClientSendsNoCodeChallengeThenClientGetsInvalidRequest() {
		RegisteredClient client = save(TestRegisteredClients.publicClient());

		assertRedirectedError(new Browser().get(authorizeUrl(client.getClientId(), "http://127.0.0.1:7777/callback",
				"")), "invalid_request");
	}

	@Test
	void tokenWhenCodeVerifierIsWrongOrMissingThenInvalidGrant() {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		OidcTestClient rp = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
		TestUserAccounts.Created user = newUser();

		OidcTestClient.Authorized wrongVerifier = rp.authorize(new Browser(), TestRegisteredClients.REDIRECT_URI,
				"openid", user);
		assertThat(OidcTestClient.error(rp.token(new AuthorizationCodeGrant(new AuthorizationCode(wrongVerifier.code()),
				URI.create(TestRegisteredClients.REDIRECT_URI), new CodeVerifier()))).getCode())
			.isEqualTo("invalid_grant");

		OidcTestClient.Authorized noVerifier = rp.authorize(new Browser(), TestRegisteredClients.REDIRECT_URI,
				"openid", user);
		assertThat(OidcTestClient.error(rp.token(new AuthorizationCodeGrant(new AuthorizationCode(noVerifier.code()),
				URI.create(TestRegisteredClients.REDIRECT_URI)))).getCode())
			.isEqualTo("invalid_grant");
	}

	@Test
	void tokenWhenRedirectUriDiffersFromTheAuthorizationRequestThenInvalidGrant() {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient()
			.redirectUris((uris) -> uris.add("https://client.example.com/other")));
		OidcTestClient rp = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
		OidcTestClient.Authorized authorized = rp.authorize(new Browser(), TestRegisteredClients.REDIRECT_URI,
				"openid", newUser());

		assertThat(OidcTestClient.error(rp.token(new AuthorizationCodeGrant(new AuthorizationCode(authorized.code()),
				URI.create("https://client.example.com/other"), authorized.request().verifier()))).getCode())
			.isEqualTo("invalid_grant");
	}

	@Test
	void tokenWhenCodeIsUsedTwiceThenRefusedAndTokensIssuedFromItAreRevoked() {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		OidcTestClient rp = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
		OidcTestClient.Authorized authorized = rp.authorize(new Browser(), TestRegisteredClients.REDIRECT_URI,
				"openid profile", newUser());
		OIDCTokens tokens = OidcTestClient.success(rp.exchange(authorized.code(), authorized.request()))
			.getOIDCTokens();
		assertThat(rp.introspect(tokens.getAccessToken()).isActive()).isTrue();

		assertThat(OidcTestClient.error(rp.exchange(authorized.code(), authorized.request())).getCode())
			.isEqualTo("invalid_grant");

		// RFC 6749 §4.1.2 and RFC 9700 §4.5: the tokens issued from a replayed code are revoked.
		assertThat(rp.introspect(tokens.getAccessToken()).isActive()).isFalse();
		assertThat(rp.introspect(tokens.getRefreshToken()).isActive()).isFalse();
		assertThat(OidcTestClient.error(rp.token(new RefreshTokenGrant(tokens.getRefreshToken()))).getCode())
			.isEqualTo("invalid_grant");
	}

	@Test
	void tokenWhenCodeIsRedeemedByAnotherClientThenInvalidGrant() {
		RegisteredClient victim = save(TestRegisteredClients.confidentialClient());
		RegisteredClient attacker = save(TestRegisteredClients.confidentialClient());
		OidcTestClient victimRp = new OidcTestClient(ISSUER, victim, TestRegisteredClients.secretOf(victim));
		OidcTestClient attackerRp = new OidcTestClient(ISSUER, attacker, TestRegisteredClients.secretOf(attacker));
		OidcTestClient.Authorized authorized = victimRp.authorize(new Browser(), TestRegisteredClients.REDIRECT_URI,
				"openid", newUser());

		assertThat(OidcTestClient.error(attackerRp.exchange(authorized.code(), authorized.request())).getCode())
			.isEqualTo("invalid_grant");
	}

	@Test
	void tokenWhenClientSecretIsWrongThenUnauthorizedInvalidClient() throws Exception {
		RegisteredClient client = save(TestRegisteredClients.serviceClient());
		TokenRequest request = new TokenRequest(endpoint("/oauth2/token"),
				new ClientSecretBasic(new ClientID(client.getClientId()), new Secret("wrong-secret")),
				new ClientCredentialsGrant());

		HTTPResponse response = request.toHTTPRequest().send();

		assertThat(response.getStatusCode()).isEqualTo(401);
		assertThat(TokenErrorResponse.parse(response).getErrorObject().getCode()).isEqualTo("invalid_client");
	}

	@Test
	void tokenWhenClientUsesAnAuthenticationMethodItIsNotRegisteredForThenInvalidClient() throws Exception {
		RegisteredClient client = save(TestRegisteredClients.serviceClient());
		TokenRequest post = new TokenRequest(endpoint("/oauth2/token"),
				new ClientSecretPost(new ClientID(client.getClientId()),
						new Secret(TestRegisteredClients.secretOf(client))),
				new ClientCredentialsGrant());

		HTTPResponse response = post.toHTTPRequest().send();

		assertThat(response.getStatusCode()).isEqualTo(401);
		assertThat(TokenErrorResponse.parse(response).getErrorObject().getCode()).isEqualTo("invalid_client");
	}

	@Test
	void tokenWhenConfidentialClientPresentsNoSecretThenInvalidClient() {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		OidcTestClient rp = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
		OidcTestClient.Authorized authorized = rp.authorize(new Browser(), TestRegisteredClients.REDIRECT_URI,
				"openid", newUser());
		OidcTestClient withoutSecret = new OidcTestClient(ISSUER, client, null);

		assertThat(OidcTestClient.error(withoutSecret.exchange(authorized.code(), authorized.request())).getCode())
			.isEqualTo("invalid_client");
	}

	@Test
	void tokenWhenClientIsNotRegisteredForTheGrantThenUnauthorizedClient() {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		OidcTestClient rp = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));

		assertThat(OidcTestClient.error(rp.token(new ClientCredentialsGrant())).getCode())
			.isEqualTo("unauthorized_client");
	}

	private static String authorizeUrl(String clientId, String redirectUri, String extra) {
		return ISSUER + "/oauth2/authorize?response_type=code&client_id=" + encode(clientId) + "&redirect_uri="
				+ encode(redirectUri) + "&scope=openid&state=xyz" + extra;
	}

	private static void assertErrorPageWithoutRedirect(HttpResponse<String> response) {
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Location")).isEmpty();
		assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
		assertThat(response.body()).contains("invalid_request").contains("We could not complete this request");
	}

	private static void assertRedirectedError(HttpResponse<String> response, String error) {
		assertThat(response.statusCode()).isEqualTo(302);
		String location = Browser.location(response, ISSUER);
		CallbackParameters parameters = CallbackParameters.parse(location);
		assertThat(location).startsWith(URI.create(location).getScheme() + "://");
		assertThat(parameters.get("error")).isEqualTo(error);
		assertThat(parameters.get("state")).isEqualTo("xyz");
		assertThat(parameters.get("iss")).isEqualTo(ISSUER);
		assertThat(parameters.get("code")).isNull();
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
