package dev.authserver;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import dev.authserver.clients.RegisteredClientStatus;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Refresh tokens rotate on every use; a token used twice (replayed later, or by two requests at once, also after a
 * restart) revokes its whole grant and is audited. Disabling a user or a client revokes its grants.
 */
class RefreshTokenRotationIntegrationTests extends IntegrationTestSupport {

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private RegisteredClientStatus clientStatus;

	@Test
	void refreshWhenTokenIsUsedThenItRotatesEveryTime() {
		Grant grant = newGrant(TestRegisteredClients.confidentialClient());

		OIDCTokens second = refresh(grant.rp(), grant.tokens().getRefreshToken());
		OIDCTokens third = refresh(grant.rp(), second.getRefreshToken());

		assertThat(second.getRefreshToken().getValue()).isNotEqualTo(grant.tokens().getRefreshToken().getValue());
		assertThat(third.getRefreshToken().getValue()).isNotEqualTo(second.getRefreshToken().getValue());
		assertThat(grant.rp().introspect(third.getAccessToken()).isActive()).isTrue();
	}

	@Test
	void refreshWhenRotatedTokenIsUsedAgainThenWholeGrantIsRevokedAndAudited() {
		Grant grant = newGrant(TestRegisteredClients.confidentialClient());
		OIDCTokens rotated = refresh(grant.rp(), grant.tokens().getRefreshToken());

		TokenResponse replay = grant.rp().token(new RefreshTokenGrant(grant.tokens().getRefreshToken()));

		assertThat(OidcTestClient.error(replay).getCode()).isEqualTo("invalid_grant");
		// The newest refresh token and its access token stop working too.
		assertThat(OidcTestClient.error(grant.rp().token(new RefreshTokenGrant(rotated.getRefreshToken()))).getCode())
			.isEqualTo("invalid_grant");
		assertThat(grant.rp().introspect(rotated.getAccessToken()).isActive()).isFalse();
		assertThat(grant.rp().introspect(rotated.getRefreshToken()).isActive()).isFalse();
		assertThat(AuthorizationCodeFlowIntegrationTests.userInfoStatus(rotated.getAccessToken())).isEqualTo(401);
		assertThat(this.jdbc.queryForObject(
				"SELECT count(*) FROM audit_event WHERE type = 'refresh_token.reuse_detected' AND client_id = ?"
						+ " AND principal = ?",
				Integer.class, grant.client().getClientId(), grant.user().subject()))
			.isEqualTo(1);
		String detail = this.jdbc.queryForObject("SELECT detail FROM audit_event WHERE client_id = ?", String.class,
				grant.client().getClientId());
		assertThat(detail).doesNotContain(grant.tokens().getRefreshToken().getValue());
	}

	@Test
	void refreshWhenTwoRequestsPresentTheSameTokenConcurrentlyThenAtMostOneSucceeds() throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(4);
		try {
			for (int round = 0; round < 5; round++) {
				Grant grant = newGrant(TestRegisteredClients.confidentialClient());
				RefreshToken token = grant.tokens().getRefreshToken();
				CountDownLatch start = new CountDownLatch(1);
				List<Future<TokenResponse>> responses = new ArrayList<>();
				for (int i = 0; i < 4; i++) {
					Callable<TokenResponse> refresh = () -> {
						start.await(10, TimeUnit.SECONDS);
						return grant.rp().token(new RefreshTokenGrant(token));
					};
					responses.add(executor.submit(refresh));
				}
				start.countDown();
				int succeeded = 0;
				for (Future<TokenResponse> response : responses) {
					TokenResponse answer = response.get(30, TimeUnit.SECONDS);
					if (answer.indicatesSuccess()) {
						succeeded++;
					}
					else {
						assertThat(answer.toErrorResponse().getErrorObject().getCode()).isEqualTo("invalid_grant");
					}
				}
				assertThat(succeeded).as("round " + round).isLessThanOrEqualTo(1);
				// The token was presented four times: the grant is revoked for good, also the tokens of a request
				// that won, which must not be able to save its grant back after the revocation.
				for (Future<TokenResponse> response : responses) {
					TokenResponse answer = response.get();
					if (answer.indicatesSuccess()) {
						var issued = answer.toSuccessResponse().getTokens();
						assertThat(grant.rp().introspect(issued.getAccessToken()).isActive()).isFalse();
						assertThat(grant.rp().introspect(issued.getRefreshToken()).isActive()).isFalse();
					}
				}
				assertThat(this.jdbc.queryForObject("SELECT count(*) FROM oauth2_authorization WHERE principal_name = ?",
						Integer.class, grant.user().subject())).isZero();
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void refreshWhenRotatedTokenIsReusedAtAnotherInstanceThenTheGrantIsStillRevoked() {
		Grant grant = newGrant(TestRegisteredClients.confidentialClient());
		OIDCTokens rotated = refresh(grant.rp(), grant.tokens().getRefreshToken());
		int port = freePort();

		// A freshly started instance knows only the database: the reuse is still caught there.
		try (ConfigurableApplicationContext restarted = RestartAndScaleOutIntegrationTests.start(port, ISSUER)) {
			OidcTestClient viaRestarted = new OidcTestClient("http://localhost:" + port, grant.client(),
					TestRegisteredClients.secretOf(grant.client()));
			assertThat(OidcTestClient.error(viaRestarted.token(new RefreshTokenGrant(grant.tokens().getRefreshToken())))
				.getCode()).isEqualTo("invalid_grant");
		}
		assertThat(grant.rp().introspect(rotated.getAccessToken()).isActive()).isFalse();
		assertThat(OidcTestClient.error(grant.rp().token(new RefreshTokenGrant(rotated.getRefreshToken()))).getCode())
			.isEqualTo("invalid_grant");
	}

	@Test
	void refreshWhenAnotherClientPresentsARotatedTokenThenTheOwnersGrantStays() {
		Grant grant = newGrant(TestRegisteredClients.confidentialClient());
		OIDCTokens rotated = refresh(grant.rp(), grant.tokens().getRefreshToken());
		RegisteredClient other = save(TestRegisteredClients.confidentialClient());
		OidcTestClient otherRp = new OidcTestClient(ISSUER, other, TestRegisteredClients.secretOf(other));

		assertThat(OidcTestClient.error(otherRp.token(new RefreshTokenGrant(grant.tokens().getRefreshToken())))
			.getCode()).isEqualTo("invalid_grant");

		assertThat(grant.rp().introspect(rotated.getAccessToken()).isActive()).isTrue();
		refresh(grant.rp(), rotated.getRefreshToken());
	}

	@Test
	void refreshWhenClientHasASecretAndNoneThenClientIdAloneDoesNotRefresh() {
		RegisteredClient mixed = save(TestRegisteredClients.confidentialClient()
			.clientAuthenticationMethod(org.springframework.security.oauth2.core.ClientAuthenticationMethod.NONE));
		OidcTestClient withSecret = new OidcTestClient(ISSUER, mixed, TestRegisteredClients.secretOf(mixed));
		OidcTestClient.Authorized authorized = withSecret.authorize(new Browser(), TestRegisteredClients.REDIRECT_URI,
				"openid", newUser());
		OIDCTokens tokens = OidcTestClient.success(withSecret.exchange(authorized.code(), authorized.request()))
			.getOIDCTokens();
		OidcTestClient withoutSecret = new OidcTestClient(ISSUER, mixed, null);

		assertThat(OidcTestClient.error(withoutSecret.token(new RefreshTokenGrant(tokens.getRefreshToken())))
			.getCode()).isIn("invalid_client", "invalid_grant");
		refresh(withSecret, tokens.getRefreshToken());
	}

	@Test
	void introspectWhenOnlyAPublicClientIdIsGivenThenUnauthorized() throws Exception {
		Grant grant = newGrant(TestRegisteredClients.confidentialClient());
		RegisteredClient publicClient = save(TestRegisteredClients.publicClient()
			.authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN));

		for (String endpoint : List.of("/oauth2/introspect", "/oauth2/revoke")) {
			var response = new Browser().postForm(ISSUER + endpoint,
					List.of(java.util.Map.entry("grant_type", "refresh_token"),
							java.util.Map.entry("client_id", publicClient.getClientId()),
							java.util.Map.entry("token", grant.tokens().getRefreshToken().getValue())));
			// Unauthenticated: 401, or the login page for a browser-like request; never an answer.
			assertThat(response.statusCode()).as(endpoint).isIn(401, 302);
			assertThat(response.body()).doesNotContain("\"active\"");
		}
		assertThat(grant.rp().introspect(grant.tokens().getRefreshToken()).isActive()).isTrue();
	}

	@Test
	void authorizeWhenOnlyABearerTokenIsPresentedThenItDoesNotSignAnyoneIn() {
		Grant grant = newGrant(TestRegisteredClients.confidentialClient());
		OidcTestClient.Request request = grant.rp().authorizationRequest(TestRegisteredClients.REDIRECT_URI, "openid");

		var response = new Browser().getWithHeader(request.uri(), "Authorization",
				"Bearer " + grant.tokens().getAccessToken().getValue());

		assertThat(response.statusCode()).isEqualTo(302);
		assertThat(Browser.location(response, ISSUER)).isEqualTo(ISSUER + "/login");
	}

	@Test
	void refreshWhenPublicClientsTokenIsDPoPBoundThenAProofWithTheSameKeyIsRequired() throws Exception {
		RegisteredClient client = save(TestRegisteredClients.publicClient()
			.authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN));
		OidcTestClient app = new OidcTestClient(ISSUER, client, null);
		OidcTestClient.Authorized authorized = app.authorize(new Browser(), "http://127.0.0.1:7777/callback", "openid",
				newUser());
		com.nimbusds.jose.jwk.ECKey key = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(
				com.nimbusds.jose.jwk.Curve.P_256).generate();
		var tokenRequest = new com.nimbusds.oauth2.sdk.TokenRequest(endpoint("/oauth2/token"), app.clientId(),
				new com.nimbusds.oauth2.sdk.AuthorizationCodeGrant(new com.nimbusds.oauth2.sdk.AuthorizationCode(
						authorized.code()), java.net.URI.create("http://127.0.0.1:7777/callback"),
						authorized.request().verifier()))
			.toHTTPRequest();
		tokenRequest.setDPoP(dpopProof(key));
		OIDCTokens tokens = OidcTestClient
			.success(com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser.parse(tokenRequest.send()))
			.getOIDCTokens();
		assertThat(tokens.getAccessToken().getType().getValue()).isEqualToIgnoringCase("DPoP");

		// A thief with the refresh token but not the key: refused, and the token is not consumed.
		assertThat(OidcTestClient.error(app.token(new RefreshTokenGrant(tokens.getRefreshToken()))).getCode())
			.isEqualTo("invalid_grant");
		var otherKey = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256).generate();
		assertThat(dpopRefresh(app, tokens.getRefreshToken(), otherKey).indicatesSuccess()).isFalse();

		TokenResponse withKey = dpopRefresh(app, tokens.getRefreshToken(), key);
		assertThat(withKey.indicatesSuccess()).isTrue();
	}

	private static TokenResponse dpopRefresh(OidcTestClient app, RefreshToken refreshToken,
			com.nimbusds.jose.jwk.ECKey key) throws Exception {
		var request = new com.nimbusds.oauth2.sdk.TokenRequest(endpoint("/oauth2/token"), app.clientId(),
				new RefreshTokenGrant(refreshToken))
			.toHTTPRequest();
		request.setDPoP(dpopProof(key));
		return com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser.parse(request.send());
	}

	private static com.nimbusds.jwt.SignedJWT dpopProof(com.nimbusds.jose.jwk.ECKey key) throws Exception {
		return new com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory(key, com.nimbusds.jose.JWSAlgorithm.ES256)
			.createDPoPJWT("POST", endpoint("/oauth2/token"));
	}

	@Test
	void refreshWhenRefusedForAnotherReasonThenTheTokenIsNotConsumed() {
		Grant grant = newGrant(TestRegisteredClients.confidentialClient());

		TokenResponse tooBroad = grant.rp()
			.token(new RefreshTokenGrant(grant.tokens().getRefreshToken()), new Scope("openid", "email"));

		assertThat(OidcTestClient.error(tooBroad).getCode()).isEqualTo("invalid_scope");
		OIDCTokens refreshed = refresh(grant.rp(), grant.tokens().getRefreshToken());
		assertThat(grant.rp().introspect(refreshed.getAccessToken()).isActive()).isTrue();
	}

	@Test
	void refreshWhenPublicClientIsRegisteredForItThenItGetsRotatingRefreshTokens() {
		Grant grant = newGrant(TestRegisteredClients.publicClient()
			.authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN));
		assertThat(grant.tokens().getRefreshToken()).as("refresh token from the code exchange").isNotNull();

		OIDCTokens rotated = refresh(grant.rp(), grant.tokens().getRefreshToken());

		assertThat(rotated.getRefreshToken().getValue()).isNotEqualTo(grant.tokens().getRefreshToken().getValue());
		assertThat(OidcTestClient.error(grant.rp().token(new RefreshTokenGrant(grant.tokens().getRefreshToken())))
			.getCode()).isEqualTo("invalid_grant");
		assertThat(OidcTestClient.error(grant.rp().token(new RefreshTokenGrant(rotated.getRefreshToken()))).getCode())
			.isEqualTo("invalid_grant");
	}

	@Test
	void refreshWhenPublicClientIsNotRegisteredForItThenNoRefreshTokenAndNoRefresh() {
		Grant grant = newGrant(TestRegisteredClients.publicClient());
		Grant other = newGrant(TestRegisteredClients.publicClient()
			.authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN));

		assertThat(grant.tokens().getRefreshToken()).isNull();
		// Another public client cannot spend someone else's refresh token.
		assertThat(OidcTestClient.error(grant.rp().token(new RefreshTokenGrant(other.tokens().getRefreshToken())))
			.getCode()).isIn("invalid_client", "invalid_grant");
		// Public clients cannot introspect (and no other client may introspect their tokens): UserInfo still answers.
		assertThat(AuthorizationCodeFlowIntegrationTests.userInfoStatus(other.tokens().getAccessToken()))
			.isEqualTo(200);
	}

	@Test
	void whenUserIsDisabledThenTheirTokensAreInactiveEverywhere() {
		Grant grant = newGrant(TestRegisteredClients.confidentialClient());

		this.accounts.setEnabled(grant.user().account().id(), false);

		assertThat(grant.rp().introspect(grant.tokens().getAccessToken()).isActive()).isFalse();
		assertThat(grant.rp().introspect(grant.tokens().getRefreshToken()).isActive()).isFalse();
		assertThat(AuthorizationCodeFlowIntegrationTests.userInfoStatus(grant.tokens().getAccessToken()))
			.isEqualTo(401);
		assertThat(OidcTestClient.error(grant.rp().token(new RefreshTokenGrant(grant.tokens().getRefreshToken())))
			.getCode()).isEqualTo("invalid_grant");
		assertThat(Browser.location(new Browser().signIn(ISSUER, grant.user().username(), grant.user().password()),
				ISSUER)).endsWith("/login?error");
	}

	@Test
	void whenClientIsDisabledThenItsTokensAreInactiveAndItCannotAuthenticate() {
		Grant grant = newGrant(TestRegisteredClients.confidentialClient());

		assertThat(this.clientStatus.disable(grant.client().getClientId())).isTrue();

		// Only the client itself may introspect its tokens, and it cannot authenticate now: its grants are gone.
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM oauth2_authorization WHERE registered_client_id = ?",
				Integer.class, grant.client().getId())).isZero();
		assertThat(AuthorizationCodeFlowIntegrationTests.userInfoStatus(grant.tokens().getAccessToken()))
			.isEqualTo(401);
		assertThat(OidcTestClient.error(grant.rp().token(new RefreshTokenGrant(grant.tokens().getRefreshToken())))
			.getCode()).isEqualTo("invalid_client");
		var authorize = new Browser().get(grant.rp().authorizationRequest(TestRegisteredClients.REDIRECT_URI, "openid")
			.uri());
		assertThat(authorize.statusCode()).isEqualTo(400);
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM audit_event WHERE type = 'client.disabled'"
				+ " AND client_id = ?", Integer.class, grant.client().getClientId())).isEqualTo(1);

		assertThat(this.clientStatus.enable(grant.client().getClientId())).isTrue();
		OidcTestClient.Authorized again = grant.rp().authorize(new Browser(), TestRegisteredClients.REDIRECT_URI,
				"openid", grant.user());
		assertThat(OidcTestClient.success(grant.rp().exchange(again.code(), again.request())).getOIDCTokens())
			.isNotNull();
	}

	private Grant newGrant(RegisteredClient.Builder clientBuilder) {
		RegisteredClient client = save(clientBuilder);
		boolean confidential = client.getClientSecret() != null;
		OidcTestClient rp = new OidcTestClient(ISSUER, client,
				confidential ? TestRegisteredClients.secretOf(client) : null);
		TestUserAccounts.Created user = newUser();
		String redirectUri = client.getRedirectUris().iterator().next();
		OidcTestClient.Authorized authorized = rp.authorize(new Browser(), redirectUri, "openid profile", user);
		OIDCTokens tokens = OidcTestClient.success(rp.exchange(authorized.code(), authorized.request()))
			.getOIDCTokens();
		return new Grant(client, rp, user, tokens);
	}

	private static OIDCTokens refresh(OidcTestClient rp, RefreshToken refreshToken) {
		return OidcTestClient.success(rp.token(new RefreshTokenGrant(refreshToken))).getOIDCTokens();
	}

	private record Grant(RegisteredClient client, OidcTestClient rp, TestUserAccounts.Created user,
			OIDCTokens tokens) {
	}

}
