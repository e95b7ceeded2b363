package dev.authserver;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.TypelessAccessToken;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Access tokens and ID tokens share a signing key, so they must not be taken for one another: access tokens are
 * typed {@code at+jwt} and name their client (RFC 9068), introspection calls only a client's own access and refresh
 * tokens active (RFC 7662), and our resource servers refuse an ID token as a bearer token.
 */
class TokenTypeIntegrationTests extends IntegrationTestSupport {

	@Test
	void whenTokensAreIssuedThenTheAccessTokenIsTypedAtJwtAndTheIdTokenIsNot() throws Exception {
		Grant grant = newGrant();

		SignedJWT accessToken = SignedJWT.parse(grant.tokens().getAccessToken().getValue());
		assertThat(accessToken.getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));
		assertThat(accessToken.getJWTClaimsSet().getStringClaim("client_id")).isEqualTo(grant.client().getClientId());
		SignedJWT idToken = (SignedJWT) grant.tokens().getIDToken();
		assertThat(idToken.getHeader().getType()).isIn(null, JOSEObjectType.JWT);
		// The ID token still validates as one (RFC 8725 §3.11: typ tells the two apart).
		grant.rp().validate(idToken, null);
	}

	@Test
	void whenIdTokenIsIntrospectedThenItIsNotActive() {
		Grant grant = newGrant();

		assertThat(grant.rp().introspect(grant.tokens().getAccessToken()).isActive()).isTrue();
		assertThat(grant.rp().introspect(new TypelessAccessToken(grant.tokens().getIDTokenString())).isActive())
			.isFalse();
	}

	@Test
	void whenAnotherClientIntrospectsATokenThenItIsNotActive() {
		Grant grant = newGrant();
		RegisteredClient otherClient = save(TestRegisteredClients.confidentialClient());
		OidcTestClient other = new OidcTestClient(ISSUER, otherClient, TestRegisteredClients.secretOf(otherClient));

		var answer = other.introspect(grant.tokens().getAccessToken());
		assertThat(answer.isActive()).isFalse();
		// RFC 7662 §2.2: nothing else about the token.
		assertThat(answer.toJSONObject().keySet()).containsExactly("active");
		assertThat(other.introspect(grant.tokens().getRefreshToken()).isActive()).isFalse();
		assertThat(grant.rp().introspect(grant.tokens().getRefreshToken()).isActive()).isTrue();
	}

	@Test
	void whenIdTokenIsUsedAsBearerTokenThenUserInfoAndTheAdminApiRefuseIt() throws Exception {
		Grant grant = newGrant();
		AccessToken idTokenAsBearer = new BearerAccessToken(grant.tokens().getIDTokenString());

		assertThat(AuthorizationCodeFlowIntegrationTests.userInfoStatus(grant.tokens().getAccessToken()))
			.isEqualTo(200);
		assertThat(AuthorizationCodeFlowIntegrationTests.userInfoStatus(idTokenAsBearer)).isEqualTo(401);

		RegisteredClient adminClient = save(TestRegisteredClients.serviceClient().scopes((scopes) -> {
			scopes.clear();
			scopes.add("admin");
		}));
		AccessToken adminToken = OidcTestClient
			.success(new OidcTestClient(ISSUER, adminClient, TestRegisteredClients.secretOf(adminClient))
				.token(new ClientCredentialsGrant(), new Scope("admin")))
			.getTokens()
			.getAccessToken();
		assertThat(adminApiStatus(adminToken.getValue())).isEqualTo(200);
		assertThat(adminApiStatus(grant.tokens().getIDTokenString())).isEqualTo(401);
	}

	private static int adminApiStatus(String bearer) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(endpoint("/api/admin/clients"))
			.header("Accept", "application/json")
			.header("Authorization", "Bearer " + bearer)
			.GET()
			.build();
		return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
	}

	private Grant newGrant() {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		OidcTestClient rp = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
		OidcTestClient.Authorized authorized = rp.authorize(new Browser(), client.getRedirectUris().iterator().next(),
				"openid profile", newUser());
		OIDCTokens tokens = OidcTestClient.success(rp.exchange(authorized.code(), authorized.request()))
			.getOIDCTokens();
		return new Grant(client, rp, tokens);
	}

	private record Grant(RegisteredClient client, OidcTestClient rp, OIDCTokens tokens) {
	}

}
