package dev.authserver;

import java.net.URI;
import java.util.Date;

import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.claims.UserInfo;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The authorization code flow as a relying party sees it: login form with its CSRF token, consent, code, token
 * exchange, ID token verified against the JWK set, UserInfo, refresh, revocation and introspection.
 */
class AuthorizationCodeFlowIntegrationTests extends IntegrationTestSupport {

	@Test
	void whenUserSignsInAndConsentsThenClientGetsVerifiableTokens() throws Exception {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		TestUserAccounts.Created user = newUser();
		OidcTestClient rp = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));

		OidcTestClient.Authorized authorized = rp.authorize(new Browser(), TestRegisteredClients.REDIRECT_URI,
				"openid profile email", user);
		OIDCTokens tokens = OidcTestClient.success(rp.exchange(authorized.code(), authorized.request()))
			.getOIDCTokens();

		IDTokenClaimsSet idToken = rp.validate(tokens.getIDToken(), authorized.request().nonce());
		assertThat(idToken.getIssuer().getValue()).isEqualTo(ISSUER);
		assertThat(idToken.getSubject().getValue()).isEqualTo(user.subject());
		assertThat(idToken.getAudience()).extracting(Object::toString).containsExactly(client.getClientId());
		// OIDC Core §5.4: with an access token, the scope claims are UserInfo's (checked below), not the ID token's.
		assertThat(idToken.getStringClaim("email")).isNull();
		assertThat(idToken.getStringClaim("preferred_username")).isNull();
		assertThat(tokens.getAccessToken().getScope().toStringList()).contains("openid", "profile", "email");
		assertThat(tokens.getRefreshToken()).isNotNull();

		// The access token is a JWT signed by a key of the JWK set, naming our user as subject.
		SignedJWT accessToken = SignedJWT.parse(tokens.getAccessToken().getValue());
		assertThat(accessToken.getJWTClaimsSet().getSubject()).isEqualTo(user.subject());
		assertThat(accessToken.getJWTClaimsSet().getIssuer()).isEqualTo(ISSUER);
		assertThat(accessToken.getHeader().getKeyID()).isEqualTo(tokens.getIDToken().getHeader().toJSONObject().get("kid"));

		UserInfo userInfo = userInfo(tokens.getAccessToken());
		assertThat(userInfo.getSubject().getValue()).isEqualTo(user.subject());
		assertThat(userInfo.getEmailAddress()).isEqualTo(user.account().email());
		assertThat(userInfo.getEmailVerified()).isTrue();
		assertThat(userInfo.getName()).isEqualTo("Ada Lovelace");
		assertThat(userInfo.getUpdatedTime()).isNotNull();
	}

	@Test
	void whenClientRefreshesThenNewTokensWorkAndRevocationMakesThemInactive() {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		TestUserAccounts.Created user = newUser();
		OidcTestClient rp = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
		OidcTestClient.Authorized authorized = rp.authorize(new Browser(), TestRegisteredClients.REDIRECT_URI,
				"openid profile", user);
		OIDCTokens first = OidcTestClient.success(rp.exchange(authorized.code(), authorized.request()))
			.getOIDCTokens();

		OIDCTokenResponse refreshed = OidcTestClient
			.success(rp.token(new RefreshTokenGrant(first.getRefreshToken())));
		AccessToken newAccessToken = refreshed.getOIDCTokens().getAccessToken();
		assertThat(newAccessToken.getValue()).isNotEqualTo(first.getAccessToken().getValue());
		// A refreshed ID token keeps the subject (OIDC Core §12.2).
		IDTokenClaimsSet refreshedIdToken = rp.validate(refreshed.getOIDCTokens().getIDToken(), null);
		assertThat(refreshedIdToken.getSubject().getValue()).isEqualTo(user.subject());

		TokenIntrospectionSuccessResponse active = rp.introspect(newAccessToken);
		assertThat(active.isActive()).isTrue();
		assertThat(active.getSubject().getValue()).isEqualTo(user.subject());
		assertThat(active.getClientID()).isEqualTo(rp.clientId());

		RefreshToken refreshToken = (refreshed.getOIDCTokens().getRefreshToken() != null)
				? refreshed.getOIDCTokens().getRefreshToken() : first.getRefreshToken();
		assertThat(rp.revoke(refreshToken).getStatusCode()).isEqualTo(200);

		// RFC 7009 §2.1: revoking a refresh token revokes the access tokens of the same grant.
		assertThat(rp.introspect(refreshToken).isActive()).isFalse();
		assertThat(rp.introspect(newAccessToken).isActive()).isFalse();
		assertThat(OidcTestClient.error(rp.token(new RefreshTokenGrant(refreshToken))).getCode())
			.isEqualTo("invalid_grant");
		assertThat(userInfoStatus(newAccessToken)).isEqualTo(401);
	}

	@Test
	void whenAccessTokenRevokedThenIntrospectionAndUserInfoRefuseIt() {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		OidcTestClient rp = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
		OidcTestClient.Authorized authorized = rp.authorize(new Browser(), TestRegisteredClients.REDIRECT_URI,
				"openid email", newUser());
		OIDCTokens tokens = OidcTestClient.success(rp.exchange(authorized.code(), authorized.request()))
			.getOIDCTokens();
		assertThat(userInfoStatus(tokens.getAccessToken())).isEqualTo(200);

		assertThat(rp.revoke(tokens.getAccessToken()).getStatusCode()).isEqualTo(200);

		assertThat(rp.introspect(tokens.getAccessToken()).isActive()).isFalse();
		assertThat(userInfoStatus(tokens.getAccessToken())).isEqualTo(401);
	}

	@Test
	void whenServiceUsesClientCredentialsThenItGetsAnActiveTokenForItself() {
		RegisteredClient client = save(TestRegisteredClients.serviceClient());
		OidcTestClient service = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));

		AccessToken token = OidcTestClient
			.success(service.token(new ClientCredentialsGrant(), new Scope("api.read")))
			.getTokens()
			.getAccessToken();

		TokenIntrospectionSuccessResponse introspection = service.introspect(token);
		assertThat(introspection.isActive()).isTrue();
		assertThat(introspection.getScope().toStringList()).containsExactly("api.read");
		assertThat(introspection.getSubject().getValue()).isEqualTo(client.getClientId());
		assertThat(introspection.getExpirationTime()).isAfter(new Date());
		// A client's own token names no user and lacks the openid scope: RFC 6750 §3.1 insufficient_scope.
		assertThat(userInfoStatus(token)).isEqualTo(403);
	}

	@Test
	void whenPublicClientUsesPkceThenItGetsTokensWithoutASecret() {
		RegisteredClient client = save(TestRegisteredClients.publicClient());
		OidcTestClient app = new OidcTestClient(ISSUER, client, null);

		OidcTestClient.Authorized authorized = app.authorize(new Browser(), "http://127.0.0.1:7777/callback",
				"openid profile", newUser());
		OIDCTokens tokens = OidcTestClient.success(app.exchange(authorized.code(), authorized.request()))
			.getOIDCTokens();

		app.validate(tokens.getIDToken(), authorized.request().nonce());
		// RFC 8252 §7.3: a native app may listen on any loopback port.
		OidcTestClient.Authorized otherPort = app.authorize(new Browser(), "http://127.0.0.1:53124/callback",
				"openid", newUser());
		assertThat(otherPort.code()).isNotBlank();
	}

	@Test
	void whenConsentWasGivenThenTheNextSignInSkipsTheConsentPage() {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		TestUserAccounts.Created user = newUser();
		OidcTestClient rp = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
		Browser browser = new Browser();
		rp.authorize(browser, TestRegisteredClients.REDIRECT_URI, "openid profile", user);

		OidcTestClient.Request again = rp.authorizationRequest(TestRegisteredClients.REDIRECT_URI, "openid profile");
		var response = browser.get(again.uri());

		assertThat(response.statusCode()).isEqualTo(302);
		assertThat(Browser.location(response, ISSUER)).startsWith(TestRegisteredClients.REDIRECT_URI + "?code=");
	}

	@Test
	void whenUserCancelsConsentThenClientGetsAccessDenied() {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		TestUserAccounts.Created user = newUser();
		OidcTestClient rp = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
		Browser browser = new Browser();
		OidcTestClient.Request request = rp.authorizationRequest(TestRegisteredClients.REDIRECT_URI, "openid email");
		browser.signIn(ISSUER, user.username(), user.password());
		var consentRedirect = browser.get(request.uri());
		String consentPage = Browser.location(consentRedirect, ISSUER);
		var page = org.jsoup.Jsoup.parse(browser.get(consentPage).body());
		var cancelForm = page.getElementById("cancel-consent").parent();

		var refused = browser.postForm(ISSUER + "/oauth2/authorize", Browser.formFields(cancelForm));

		CallbackParameters callback = CallbackParameters.parse(Browser.location(refused, ISSUER));
		assertThat(callback.get("error")).isEqualTo("access_denied");
		assertThat(callback.get("state")).isEqualTo(request.state().getValue());
		assertThat(callback.get("code")).isNull();
	}

	static UserInfo userInfo(AccessToken token) throws Exception {
		UserInfoResponse response = UserInfoResponse
			.parse(new UserInfoRequest(URI.create(ISSUER + "/userinfo"), (BearerAccessToken) token).toHTTPRequest()
				.send());
		assertThat(response.indicatesSuccess()).as("userinfo answer").isTrue();
		return response.toSuccessResponse().getUserInfo();
	}

	static int userInfoStatus(AccessToken token) {
		try {
			return new UserInfoRequest(URI.create(ISSUER + "/userinfo"), new BearerAccessToken(token.getValue()))
				.toHTTPRequest()
				.send()
				.getStatusCode();
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
