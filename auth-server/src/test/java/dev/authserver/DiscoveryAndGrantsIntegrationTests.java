package dev.authserver;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the server advertises (OIDC Discovery, RFC 8414, the JWK set) is exactly what it does, and the grants it
 * does not offer are refused.
 */
class DiscoveryAndGrantsIntegrationTests extends IntegrationTestSupport {

	@Test
	void discoveryWhenFetchedThenAdvertisesExactlyOurEndpointsGrantsAndMethods() throws Exception {
		String body = new Browser().get(ISSUER + "/.well-known/openid-configuration").body();
		OIDCProviderMetadata metadata = OIDCProviderMetadata.parse(body);

		assertThat(metadata.getIssuer().getValue()).isEqualTo(ISSUER);
		assertThat(metadata.getAuthorizationEndpointURI()).hasToString(ISSUER + "/oauth2/authorize");
		assertThat(metadata.getTokenEndpointURI()).hasToString(ISSUER + "/oauth2/token");
		assertThat(metadata.getJWKSetURI()).hasToString(ISSUER + "/oauth2/jwks");
		assertThat(metadata.getUserInfoEndpointURI()).hasToString(ISSUER + "/userinfo");
		assertThat(metadata.getIntrospectionEndpointURI()).hasToString(ISSUER + "/oauth2/introspect");
		assertThat(metadata.getRevocationEndpointURI()).hasToString(ISSUER + "/oauth2/revoke");
		assertThat(metadata.getEndSessionEndpointURI()).hasToString(ISSUER + "/connect/logout");
		assertThat(metadata.getResponseTypes()).extracting(Object::toString).containsExactly("code");
		assertThat(metadata.getGrantTypes()).extracting(Object::toString)
			.containsExactlyInAnyOrder("authorization_code", "refresh_token", "client_credentials");
		assertThat(metadata.getTokenEndpointAuthMethods()).extracting(Object::toString)
			.containsExactlyInAnyOrder("client_secret_basic", "client_secret_post", "client_secret_jwt",
					"private_key_jwt", "none");
		assertThat(metadata.getIntrospectionEndpointAuthMethods()).extracting(Object::toString)
			.containsExactlyInAnyOrder("client_secret_basic", "client_secret_post", "client_secret_jwt",
					"private_key_jwt");
		assertThat(metadata.getRevocationEndpointAuthMethods()).extracting(Object::toString)
			.containsExactlyInAnyOrder("client_secret_basic", "client_secret_post", "client_secret_jwt",
					"private_key_jwt");
		assertThat(metadata.getCodeChallengeMethods()).extracting(Object::toString).containsExactly("S256");
		assertThat(metadata.getIDTokenJWSAlgs()).extracting(Object::toString).containsExactly("RS256");
		assertThat(metadata.getSubjectTypes()).extracting(Object::toString).containsExactly("public", "pairwise");
		assertThat(metadata.getScopes().toStringList()).contains("openid", "profile", "email");
		assertThat(metadata.getClaims()).contains("sub", "email", "email_verified", "name");
		assertThat(metadata.supportsAuthorizationResponseIssuerParam()).isTrue();
		assertThat(body).doesNotContain("tls_client_certificate_bound_access_tokens")
			.doesNotContain("device_code")
			.doesNotContain("token-exchange");
	}

	@Test
	void authorizationServerMetadataWhenFetchedThenMatchesDiscovery() throws Exception {
		AuthorizationServerMetadata metadata = AuthorizationServerMetadata
			.parse(new Browser().get(ISSUER + "/.well-known/oauth-authorization-server").body());

		assertThat(metadata.getIssuer().getValue()).isEqualTo(ISSUER);
		assertThat(metadata.getGrantTypes()).extracting(Object::toString)
			.containsExactlyInAnyOrder("authorization_code", "refresh_token", "client_credentials");
		assertThat(metadata.getTokenEndpointAuthMethods()).extracting(Object::toString)
			.containsExactlyInAnyOrder("client_secret_basic", "client_secret_post", "client_secret_jwt",
					"private_key_jwt", "none");
		assertThat(metadata.getCodeChallengeMethods()).extracting(Object::toString).containsExactly("S256");
	}

	@Test
	void jwkSetWhenFetchedThenPublishesThePublicSigningKeyOnly() throws Exception {
		HttpResponse<String> response = new Browser().get(ISSUER + "/oauth2/jwks");
		JWKSet jwkSet = JWKSet.parse(response.body());

		assertThat(jwkSet.getKeys()).isNotEmpty();
		for (JWK key : jwkSet.getKeys()) {
			assertThat(key.isPrivate()).isFalse();
			assertThat(key.getKeyID()).isNotBlank();
			assertThat(key.getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
			assertThat(key.getAlgorithm()).hasToString("RS256");
		}
		// Private RSA members (RFC 7518 §6.3.2) never appear.
		assertThat(response.body()).doesNotContain("\"d\"").doesNotContain("\"p\"").doesNotContain("\"dp\"");
		// Cacheable for authserver.keys.jwk-set-max-age (1 h), less than publish-ahead (1 day).
		assertThat(response.headers().allValues("Cache-Control")).containsExactly("public, max-age=3600");
	}

	@Test
	void authorizeWhenRequestIsPostedThenItIsHandledLikeAGet() {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		TestUserAccounts.Created user = newUser();
		OidcTestClient rp = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
		OidcTestClient.Request request = rp.authorizationRequest(TestRegisteredClients.REDIRECT_URI, "openid");
		Browser browser = new Browser();
		browser.signIn(ISSUER, user.username(), user.password());
		String query = request.uri().substring(request.uri().indexOf('?') + 1);
		List<Map.Entry<String, String>> fields = new java.util.ArrayList<>();
		for (String pair : query.split("&")) {
			String[] parts = pair.split("=", 2);
			fields.add(Map.entry(java.net.URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
					java.net.URLDecoder.decode(parts[1], StandardCharsets.UTF_8)));
		}

		HttpResponse<String> response = browser.postForm(ISSUER + "/oauth2/authorize", fields);

		// openid alone releases nothing but sub, so Spring asks no consent for it: straight back with a code.
		assertThat(response.statusCode()).isEqualTo(302);
		CallbackParameters callback = CallbackParameters.parse(Browser.location(response, ISSUER));
		assertThat(Browser.location(response, ISSUER)).startsWith(TestRegisteredClients.REDIRECT_URI + "?");
		assertThat(callback.get("state")).isEqualTo(request.state().getValue());
		assertThat(OidcTestClient.success(rp.exchange(callback.get("code"), request)).getOIDCTokens().getIDToken())
			.isNotNull();
	}

	// Spring refuses a response_type other than code while parsing the request, before the client and redirect URI
	// are validated, so the refusal is shown on our error page rather than redirected: never an open redirect.
	@Test
	void authorizeWhenImplicitFlowIsRequestedThenUnsupportedResponseTypeWithoutTokens() {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		String request = ISSUER + "/oauth2/authorize?response_type=token&client_id=" + client.getClientId()
				+ "&redirect_uri=" + URLEncoder.encode(TestRegisteredClients.REDIRECT_URI, StandardCharsets.UTF_8)
				+ "&scope=openid&state=xyz";

		HttpResponse<String> response = new Browser().get(request);

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Location")).isEmpty();
		assertThat(response.body()).contains("unsupported_response_type").doesNotContain("access_token");
	}

	@Test
	void userInfoWhenAccessTokenIsPostedInTheBodyThenAnswered() {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		OidcTestClient rp = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
		TestUserAccounts.Created user = newUser();
		OidcTestClient.Authorized authorized = rp.authorize(new Browser(), TestRegisteredClients.REDIRECT_URI,
				"openid email", user);
		String accessToken = OidcTestClient.success(rp.exchange(authorized.code(), authorized.request()))
			.getOIDCTokens()
			.getAccessToken()
			.getValue();

		HttpResponse<String> response = new Browser().postForm(ISSUER + "/userinfo",
				List.of(Map.entry("access_token", accessToken)));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"sub\":\"" + user.subject() + "\"")
			.contains(user.account().email());
	}

	@Test
	void tokenWhenIssuedThenResponseIsNotCacheable() throws Exception {
		RegisteredClient client = save(TestRegisteredClients.serviceClient());
		String basic = TestRegisteredClients.basicAuthorization(client);
		var request = java.net.http.HttpRequest.newBuilder(endpoint("/oauth2/token"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Authorization", basic)
			.POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=api.read"))
			.build();

		HttpResponse<String> response = java.net.http.HttpClient.newHttpClient()
			.send(request, HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(200);
		// RFC 6749 §5.1.
		assertThat(response.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
		assertThat(response.body()).contains("\"token_type\":\"Bearer\"");
	}

}
