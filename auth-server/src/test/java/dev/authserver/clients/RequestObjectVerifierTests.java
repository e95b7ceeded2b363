package dev.authserver.clients;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Request objects are verified with the keys {@link ClientKeys} resolves, the same way as client assertions: a
 * {@code jwks_uri} on a private address is never fetched, and inline {@code jwks} work.
 */
class RequestObjectVerifierTests {

	private static final String ISSUER = "https://issuer.example.com";

	private RSAKey key;

	private HttpServer jwksServer;

	private final AtomicInteger fetches = new AtomicInteger();

	@BeforeEach
	void publishKeys() throws Exception {
		this.key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
		byte[] jwks = new JWKSet(this.key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
		this.jwksServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.jwksServer.createContext("/jwks", (exchange) -> {
			this.fetches.incrementAndGet();
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, jwks.length);
			exchange.getResponseBody().write(jwks);
			exchange.close();
		});
		this.jwksServer.start();
	}

	@AfterEach
	void stop() {
		this.jwksServer.stop(0);
	}

	@Test
	void verifyWhenJwksUriIsOnAPrivateAddressThenInvalidAndNothingIsFetched() throws Exception {
		RequestObjectVerifier verifier = new RequestObjectVerifier(ISSUER, new ClientKeys(false));
		for (String jwksUri : new String[] { jwksUrl(), "https://127.0.0.1:" + port() + "/jwks",
				"https://10.255.255.1/jwks", "https://169.254.169.254/latest/meta-data" }) {
			RegisteredClient client = client(ClientSettings.builder().jwkSetUrl(jwksUri));

			assertThatExceptionOfType(RequestObjectVerifier.InvalidRequestObjectException.class).as(jwksUri)
				.isThrownBy(() -> verifier.verify(signed(client), client));
		}
		assertThat(this.fetches).hasValue(0);
	}

	@Test
	void verifyWhenLoopbackIsAllowedThenTheSameRequestObjectIsVerifiedWithTheFetchedKeys() throws Exception {
		RequestObjectVerifier verifier = new RequestObjectVerifier(ISSUER, new ClientKeys(true));
		RegisteredClient client = client(ClientSettings.builder().jwkSetUrl(jwksUrl()));

		assertThat(verifier.verify(signed(client), client).getStringClaim("state")).isEqualTo("s1");
		assertThat(this.fetches).hasValue(1);
	}

	@Test
	void verifyWhenClientHasInlineJwksThenTheyVerifyTheRequestObjectWithoutAnyFetch() throws Exception {
		RequestObjectVerifier verifier = new RequestObjectVerifier(ISSUER, new ClientKeys(false));
		RegisteredClient client = client(ClientSettings.builder()
			.setting(ClientKeys.INLINE_JWKS, new JWKSet(this.key.toPublicJWK()).toString()));
		RSAKey otherKey = new RSAKeyGenerator(2048).keyID(this.key.getKeyID()).generate();

		assertThat(verifier.verify(signed(client), client).getStringClaim("state")).isEqualTo("s1");
		assertThatExceptionOfType(RequestObjectVerifier.InvalidRequestObjectException.class)
			.isThrownBy(() -> verifier.verify(signed(client, otherKey), client));
		assertThat(this.fetches).hasValue(0);
	}

	@Test
	void verifyWhenClientHasNoKeysThenInvalid() throws Exception {
		RequestObjectVerifier verifier = new RequestObjectVerifier(ISSUER, new ClientKeys(true));
		RegisteredClient client = client(ClientSettings.builder());

		assertThatExceptionOfType(RequestObjectVerifier.InvalidRequestObjectException.class)
			.isThrownBy(() -> verifier.verify(signed(client), client))
			.withMessageContaining("no registered keys");
	}

	private String jwksUrl() {
		return "http://127.0.0.1:" + port() + "/jwks";
	}

	private int port() {
		return this.jwksServer.getAddress().getPort();
	}

	private String signed(RegisteredClient client) throws Exception {
		return signed(client, this.key);
	}

	private static String signed(RegisteredClient client, RSAKey signingKey) throws Exception {
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(client.getClientId())
			.audience(ISSUER)
			.claim("client_id", client.getClientId())
			.claim("response_type", "code")
			.claim("state", "s1")
			.expirationTime(new Date(System.currentTimeMillis() + 60_000))
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID()).build(),
				claims);
		jwt.sign(new RSASSASigner(signingKey));
		return jwt.serialize();
	}

	private static RegisteredClient client(ClientSettings.Builder settings) {
		return RegisteredClient.withId(UUID.randomUUID().toString())
			.clientId("client-" + UUID.randomUUID())
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
			.clientSecret("a-secret-that-is-long-enough-for-anything")
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.redirectUri("https://client.example.com/callback")
			.clientSettings(settings.build())
			.build();
	}

}
