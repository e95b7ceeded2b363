package dev.authserver.admin;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretJWT;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.authserver.IntegrationTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code private_key_jwt} and {@code client_secret_jwt} clients registered through the admin API authenticate end
 * to end (their assertion algorithm is set), with keys from a {@code jwks_uri} or an inline {@code jwks}; a
 * {@code jwks_uri} on a private address, too large or too slow gives {@code invalid_client}, never a 5xx.
 */
class ClientAssertionRegistrationIntegrationTests extends IntegrationTestSupport {

	private WireMockServer jwksHost;

	private AdminApi api;

	@BeforeEach
	void start() {
		this.jwksHost = new WireMockServer(WireMockConfiguration.options().bindAddress("127.0.0.1").dynamicPort());
		this.jwksHost.start();
		this.api = AdminApi.withAdminClient(ISSUER, this.clients);
	}

	@AfterEach
	void stop() {
		this.jwksHost.stop();
	}

	@Test
	void whenAdminRegistersAPrivateKeyJwtClientWithAJwksUriThenItAuthenticates() throws Exception {
		RSAKey key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
		serve("/jwks", new JWKSet(key.toPublicJWK()).toString(), 0);
		String clientId = register(Map.of("jwks_uri", this.jwksHost.baseUrl() + "/jwks"));

		HTTPResponse response = send(new PrivateKeyJWT(new ClientID(clientId), endpoint("/oauth2/token"),
				JWSAlgorithm.RS256, key.toRSAPrivateKey(), key.getKeyID(), null));

		assertThat(TokenResponse.parse(response).indicatesSuccess()).as(response.getBody()).isTrue();
	}

	@Test
	void whenAdminRegistersAPrivateKeyJwtClientWithInlineJwksAndEs256ThenItAuthenticates() throws Exception {
		ECKey key = new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
		String clientId = register(Map.of("jwks", new JWKSet(key.toPublicJWK()).toJSONObject(true),
				"token_endpoint_auth_signing_alg", "ES256"));

		HTTPResponse response = send(new PrivateKeyJWT(new ClientID(clientId), endpoint("/oauth2/token"),
				JWSAlgorithm.ES256, key.toECPrivateKey(), key.getKeyID(), null));

		assertThat(TokenResponse.parse(response).indicatesSuccess()).as(response.getBody()).isTrue();
	}

	@Test
	void whenAdminRegistersAClientSecretJwtClientThenItAuthenticates() throws Exception {
		HttpResponseBody created = create(Map.of("client_name", "Secret JWT", "grant_types",
				java.util.List.of("client_credentials"), "token_endpoint_auth_method", "client_secret_jwt"));

		HTTPResponse response = send(new ClientSecretJWT(new ClientID(created.clientId()), endpoint("/oauth2/token"),
				JWSAlgorithm.HS256, new Secret(created.secret())));

		assertThat(TokenResponse.parse(response).indicatesSuccess()).as(response.getBody()).isTrue();
	}

	@Test
	void whenRegistrationSendsAPrivateKeyInItsJwksThenItIsRefused() throws Exception {
		RSAKey key = new RSAKeyGenerator(2048).generate();
		var response = this.api.post("/api/admin/clients", AdminApi.JSON.writeValueAsString(Map.of("client_name",
				"Leaky", "grant_types", java.util.List.of("client_credentials"), "token_endpoint_auth_method",
				"private_key_jwt", "jwks", new JWKSet(key).toJSONObject(false))));

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("jwks").doesNotContain(key.getPrivateExponent().toString());
	}

	@Test
	void whenJwksUriIsAPrivateAddressThenInvalidClientWithoutAFetch() throws Exception {
		RSAKey key = new RSAKeyGenerator(2048).generate();
		// Loopback is allowed in the tests; private and link-local addresses never are.
		for (String jwksUri : new String[] { "https://10.255.255.1/jwks", "https://169.254.169.254/jwks",
				"https://[fd00::1]/jwks" }) {
			String clientId = register(Map.of("jwks_uri", jwksUri));
			long start = System.nanoTime();

			assertInvalidClient(send(new PrivateKeyJWT(new ClientID(clientId), endpoint("/oauth2/token"),
					JWSAlgorithm.RS256, key.toRSAPrivateKey(), null, null)));
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
		}
	}

	@Test
	void whenJwksUriAnswersTooMuchThenInvalidClient() throws Exception {
		RSAKey key = new RSAKeyGenerator(2048).keyID("k").generate();
		String padding = "x".repeat(70 * 1024);
		serve("/big", "{\"keys\":[" + key.toPublicJWK().toJSONString() + "],\"padding\":\"" + padding + "\"}", 0);
		String clientId = register(Map.of("jwks_uri", this.jwksHost.baseUrl() + "/big"));

		assertInvalidClient(send(new PrivateKeyJWT(new ClientID(clientId), endpoint("/oauth2/token"),
				JWSAlgorithm.RS256, key.toRSAPrivateKey(), "k", null)));
	}

	@Test
	void whenJwksUriIsSlowThenInvalidClientWithinTheTimeLimit() throws Exception {
		RSAKey key = new RSAKeyGenerator(2048).keyID("k").generate();
		serve("/slow", new JWKSet(key.toPublicJWK()).toString(), 10_000);
		String clientId = register(Map.of("jwks_uri", this.jwksHost.baseUrl() + "/slow"));
		long start = System.nanoTime();

		assertInvalidClient(send(new PrivateKeyJWT(new ClientID(clientId), endpoint("/oauth2/token"),
				JWSAlgorithm.RS256, key.toRSAPrivateKey(), "k", null)));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(5_000));
	}

	private void serve(String path, String body, int delayMillis) {
		this.jwksHost.stubFor(get(urlEqualTo(path)).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withBody(body)
			.withFixedDelay(delayMillis)));
	}

	private String register(Map<String, Object> keys) {
		Map<String, Object> body = new java.util.HashMap<>(keys);
		body.put("client_name", "Key JWT");
		body.put("grant_types", java.util.List.of("client_credentials"));
		body.put("token_endpoint_auth_method", "private_key_jwt");
		return create(body).clientId();
	}

	private HttpResponseBody create(Map<String, Object> body) {
		var response = this.api.post("/api/admin/clients", AdminApi.JSON.writeValueAsString(body));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		JsonNode json = AdminApi.json(response);
		JsonNode secret = json.get("client_secret");
		return new HttpResponseBody(json.get("client").get("client_id").asString(),
				(secret != null) ? secret.asString() : null);
	}

	private record HttpResponseBody(String clientId, String secret) {
	}

	private static HTTPResponse send(ClientAuthentication authentication) throws IOException {
		URI tokenEndpoint = endpoint("/oauth2/token");
		return new TokenRequest(tokenEndpoint, authentication, new ClientCredentialsGrant(), null).toHTTPRequest()
			.send();
	}

	private static void assertInvalidClient(HTTPResponse response) throws Exception {
		assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(401);
		assertThat(TokenErrorResponse.parse(response).getErrorObject().getCode()).isEqualTo("invalid_client");
	}

}
