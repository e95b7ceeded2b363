package dev.authserver.keys;

import java.net.URI;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import dev.authserver.Browser;
import dev.authserver.IntegrationTestSupport;
import dev.authserver.OidcTestClient;
import dev.authserver.TestDatabaseSchema;
import dev.authserver.TestRegisteredClients;
import dev.authserver.TestUserAccounts;
import dev.authserver.users.UserAccounts;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static dev.authserver.keys.SignedTokens.alg;
import static dev.authserver.keys.SignedTokens.kid;
import static dev.authserver.keys.SignedTokens.sleepUntil;
import static dev.authserver.keys.SignedTokens.verify;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ES256 (ECDSA on P-256) end to end, and the switch from RS256 to ES256: a restart with the new setting changes
 * nothing, the next rotation brings the new algorithm, and discovery lists both while tokens of both can be valid.
 */
class Es256SigningKeyIntegrationTests {

	private static final Map<String, String> ES256 = Map.of("authserver.keys.algorithm", "ES256");

	@Test
	void whenAlgorithmIsEs256ThenTheCodeFlowGivesEs256TokensThatAnOidcClientValidates() throws Exception {
		try (TestDatabaseSchema schema = TestDatabaseSchema.create("keys_es256");
				KeysTestServer server = KeysTestServer.start(schema, ES256)) {
			JWKSet jwkSet = server.jwkSet();
			assertThat(jwkSet.getKeys()).hasSize(1);
			ECKey key = (ECKey) jwkSet.getKeys().get(0);
			assertThat(key.getCurve()).isEqualTo(Curve.P_256);
			assertThat(key.getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
			assertThat(key.isPrivate()).isFalse();
			assertThat(server.jwkSetResponse().body()).doesNotContain("\"d\"");
			assertThat(metadata(server).getIDTokenJWSAlgs()).containsExactly(JWSAlgorithm.ES256);

			RegisteredClient client = server.save(TestRegisteredClients.confidentialClient());
			TestUserAccounts.Created user = TestUserAccounts.userAccount().create(server.bean(UserAccounts.class));
			OidcTestClient rp = server.client(client);
			OidcTestClient.Authorized authorized = rp.authorize(new Browser(), TestRegisteredClients.REDIRECT_URI,
					"openid profile email", user);
			OIDCTokens tokens = OidcTestClient.success(rp.exchange(authorized.code(), authorized.request()))
				.getOIDCTokens();

			// The client's registration says nothing of ES256 (Spring's default is RS256): the server's key decides.
			IDTokenClaimsSet idToken = rp.validate(tokens.getIDToken(), authorized.request().nonce(),
					JWSAlgorithm.ES256);
			assertThat(idToken.getSubject().getValue()).isEqualTo(user.subject());
			assertThat(alg(tokens.getIDToken())).isEqualTo(JWSAlgorithm.ES256);
			assertThat(kid(tokens.getIDToken())).isEqualTo(key.getKeyID());
			SignedJWT accessToken = SignedJWT.parse(tokens.getAccessToken().getValue());
			assertThat(alg(accessToken)).isEqualTo(JWSAlgorithm.ES256);
			assertThat(kid(accessToken)).isEqualTo(key.getKeyID());
			verify(accessToken, jwkSet);
			// The server's own resource endpoint accepts it.
			assertThat(userInfo(server, tokens.getAccessToken().getValue()).indicatesSuccess()).isTrue();

			OIDCTokens refreshed = OidcTestClient.success(rp.token(new RefreshTokenGrant(tokens.getRefreshToken())))
				.getOIDCTokens();
			rp.validate(refreshed.getIDToken(), null, JWSAlgorithm.ES256);
			assertThat(alg(SignedJWT.parse(refreshed.getAccessToken().getValue()))).isEqualTo(JWSAlgorithm.ES256);
		}
	}

	@Test
	void whenTheConfiguredAlgorithmChangesThenTheKeyStaysUntilTheNextRotationWhichBringsTheNewAlgorithm()
			throws Exception {
		int port = IntegrationTestSupport.freePort();
		String issuer = "http://localhost:" + port;
		try (TestDatabaseSchema schema = TestDatabaseSchema.create("keys_switch")) {
			RegisteredClient service;
			SignedJWT rs256Token;
			String rs256Jwks;
			try (KeysTestServer server = KeysTestServer.start(schema, port, issuer, Map.of())) {
				service = server.save(TestRegisteredClients.serviceClient());
				rs256Token = server.accessToken(service);
				rs256Jwks = server.jwkSetResponse().body();
				assertThat(alg(rs256Token)).isEqualTo(JWSAlgorithm.RS256);
			}

			try (KeysTestServer server = KeysTestServer.start(schema, port, issuer, ES256)) {
				// A restart, even with another algorithm configured, never changes the key that signs.
				SignedJWT afterRestart = server.accessToken(service);
				assertThat(kid(afterRestart)).isEqualTo(kid(rs256Token));
				assertThat(alg(afterRestart)).isEqualTo(JWSAlgorithm.RS256);
				assertThat(server.jwkSetResponse().body()).isEqualTo(rs256Jwks);
				assertThat(metadata(server).getIDTokenJWSAlgs()).containsExactly(JWSAlgorithm.RS256);

				SigningKeyRotation.PlannedRotation planned = server.rotation().rotateNow();

				assertThat(planned.algorithm()).isEqualTo("ES256");
				// Both can now appear in valid tokens: the one that signs is listed first.
				assertThat(metadata(server).getIDTokenJWSAlgs()).containsExactly(JWSAlgorithm.RS256,
						JWSAlgorithm.ES256);
				assertThat(server.jwkSet().getKeys()).extracting(JWK::getKeyType)
					.containsExactlyInAnyOrder(KeyType.RSA, KeyType.EC);

				sleepUntil(planned.activatesAt());
				SignedJWT es256Token = server.accessToken(service);
				assertThat(alg(es256Token)).isEqualTo(JWSAlgorithm.ES256);
				assertThat(kid(es256Token)).isEqualTo(planned.newKid());
				assertThat(metadata(server).getIDTokenJWSAlgs()).containsExactly(JWSAlgorithm.ES256,
						JWSAlgorithm.RS256);
				verify(es256Token, server.jwkSet());
				verify(rs256Token, server.jwkSet());

				RegisteredClient client = server.save(TestRegisteredClients.confidentialClient());
				TestUserAccounts.Created user = TestUserAccounts.userAccount()
					.create(server.bean(UserAccounts.class));
				OidcTestClient rp = server.client(client);
				OidcTestClient.Authorized authorized = rp.authorize(new Browser(),
						TestRegisteredClients.REDIRECT_URI, "openid", user);
				OIDCTokens tokens = OidcTestClient.success(rp.exchange(authorized.code(), authorized.request()))
					.getOIDCTokens();
				rp.validate(tokens.getIDToken(), authorized.request().nonce(), JWSAlgorithm.ES256);
				assertThat(kid(tokens.getIDToken())).isEqualTo(planned.newKid());
			}
		}
	}

	private static OIDCProviderMetadata metadata(KeysTestServer server) throws Exception {
		return OIDCProviderMetadata
			.parse(new Browser().get(server.baseUrl() + "/.well-known/openid-configuration").body());
	}

	private static UserInfoResponse userInfo(KeysTestServer server, String accessToken) throws Exception {
		return UserInfoResponse.parse(new UserInfoRequest(URI.create(server.baseUrl() + "/userinfo"),
				new BearerAccessToken(accessToken))
			.toHTTPRequest()
			.send());
	}

}
