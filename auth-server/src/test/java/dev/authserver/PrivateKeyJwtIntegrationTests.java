package dev.authserver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code private_key_jwt} client authentication (RFC 7523, OIDC Core §9): the client's public keys are served
 * from its own JWK set URL on loopback, as a real client would publish them. Every assertion is accepted once.
 */
class PrivateKeyJwtIntegrationTests extends IntegrationTestSupport {

	private RSAKey clientKey;

	private HttpServer clientJwks;

	private RegisteredClient client;

	@BeforeEach
	void publishClientKeys() throws Exception {
		this.clientKey = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
		byte[] jwks = new JWKSet(this.clientKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
		this.clientJwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.clientJwks.createContext("/jwks", (exchange) -> {
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, jwks.length);
			exchange.getResponseBody().write(jwks);
			exchange.close();
		});
		this.clientJwks.start();
		this.client = save(RegisteredClient.withId(UUID.randomUUID().toString())
			.clientId("pkjwt-" + UUID.randomUUID())
			.clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.scope("api.read")
			.clientSettings(ClientSettings.builder()
				.jwkSetUrl("http://127.0.0.1:" + this.clientJwks.getAddress().getPort() + "/jwks")
				.tokenEndpointAuthenticationSigningAlgorithm(SignatureAlgorithm.RS256)
				.build()));
	}

	@AfterEach
	void stopClientKeys() {
		this.clientJwks.stop(0);
	}

	@Test
	void tokenWhenAssertionIsSignedWithTheRegisteredKeyThenClientIsAuthenticated() throws Exception {
		PrivateKeyJWT assertion = new PrivateKeyJWT(new ClientID(this.client.getClientId()), endpoint("/oauth2/token"),
				JWSAlgorithm.RS256, this.clientKey.toRSAPrivateKey(), this.clientKey.getKeyID(), null);

		HTTPResponse http = send(assertion);
		TokenResponse response = TokenResponse.parse(http);

		assertThat(response.indicatesSuccess()).as(http.getBody()).isTrue();
		assertThat(response.toSuccessResponse().getTokens().getAccessToken().getScope().toStringList())
			.containsExactly("api.read");
	}

	@Test
	void tokenWhenAssertionIsSignedWithAnotherKeyThenInvalidClient() throws Exception {
		RSAKey otherKey = new RSAKeyGenerator(2048).keyID(this.clientKey.getKeyID()).generate();
		PrivateKeyJWT assertion = new PrivateKeyJWT(new ClientID(this.client.getClientId()), endpoint("/oauth2/token"),
				JWSAlgorithm.RS256, otherKey.toRSAPrivateKey(), otherKey.getKeyID(), null);

		assertInvalidClient(send(assertion));
	}

	@Test
	void tokenWhenAssertionHasWrongAudienceOrIsExpiredThenInvalidClient() throws Exception {
		ClientID clientId = new ClientID(this.client.getClientId());
		Date now = new Date();
		JWTClaimsSet wrongAudience = claims(clientId, "https://other-server.example/token", now,
				new Date(now.getTime() + 60_000));
		JWTClaimsSet expired = claims(clientId, endpoint("/oauth2/token").toString(),
				new Date(now.getTime() - 600_000), new Date(now.getTime() - 300_000));

		assertInvalidClient(send(new PrivateKeyJWT(sign(wrongAudience))));
		assertInvalidClient(send(new PrivateKeyJWT(sign(expired))));
	}

	@Test
	void tokenWhenTheSameAssertionIsSentTwiceThenTheReplayIsInvalidClient() throws Exception {
		PrivateKeyJWT assertion = new PrivateKeyJWT(new ClientID(this.client.getClientId()), endpoint("/oauth2/token"),
				JWSAlgorithm.RS256, this.clientKey.toRSAPrivateKey(), this.clientKey.getKeyID(), null);

		assertThat(TokenResponse.parse(send(assertion)).indicatesSuccess()).isTrue();
		assertInvalidClient(send(assertion));
	}

	@Test
	void tokenWhenAssertionIsUnsignedOrHasNoJtiThenInvalidClient() throws Exception {
		ClientID clientId = new ClientID(this.client.getClientId());
		Date now = new Date();
		JWTClaimsSet valid = claims(clientId, endpoint("/oauth2/token").toString(), now, new Date(now.getTime() + 60_000));
		String unsigned = new PlainJWT(valid).serialize();
		String form = "grant_type=client_credentials&scope=api.read&client_id=" + clientId.getValue()
				+ "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
				+ "&client_assertion=" + unsigned;
		java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient()
			.send(java.net.http.HttpRequest.newBuilder(endpoint("/oauth2/token"))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(java.net.http.HttpRequest.BodyPublishers.ofString(form))
				.build(), java.net.http.HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.body()).contains("invalid_client");
		JWTClaimsSet withoutJti = new JWTClaimsSet.Builder(valid).jwtID(null).build();
		assertInvalidClient(send(new PrivateKeyJWT(sign(withoutJti))));
	}

	@Test
	void tokenWhenPrivateKeyJwtClientUsesASecretInsteadThenInvalidClient() throws Exception {
		ClientAuthentication basic = new ClientSecretBasic(new ClientID(this.client.getClientId()),
				new Secret("guessed-secret"));

		assertInvalidClient(send(basic));
	}

	private JWTClaimsSet claims(ClientID clientId, String audience, Date issuedAt, Date expiresAt) {
		return new JWTClaimsSet.Builder().issuer(clientId.getValue())
			.subject(clientId.getValue())
			.audience(List.of(audience))
			.jwtID(UUID.randomUUID().toString())
			.issueTime(issuedAt)
			.expirationTime(expiresAt)
			.build();
	}

	private SignedJWT sign(JWTClaimsSet claims) throws JOSEException {
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(this.clientKey.getKeyID())
			.build(), claims);
		jwt.sign(new RSASSASigner(this.clientKey));
		return jwt;
	}

	private static HTTPResponse send(ClientAuthentication authentication) throws IOException {
		URI tokenEndpoint = endpoint("/oauth2/token");
		return new TokenRequest(tokenEndpoint, authentication, new ClientCredentialsGrant(), new Scope("api.read"))
			.toHTTPRequest()
			.send();
	}

	private static void assertInvalidClient(HTTPResponse response) throws Exception {
		assertThat(response.getStatusCode()).isEqualTo(401);
		assertThat(TokenErrorResponse.parse(response).getErrorObject().getCode()).isEqualTo("invalid_client");
	}

}
