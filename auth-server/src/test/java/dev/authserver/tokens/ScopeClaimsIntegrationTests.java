package dev.authserver.tokens;

import java.net.URI;

import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.claims.UserInfo;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import dev.authserver.Browser;
import dev.authserver.IntegrationTestSupport;
import dev.authserver.OidcTestClient;
import dev.authserver.TestRegisteredClients;
import dev.authserver.TestUserAccounts;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OIDC Core 1.0 §5.4: the claims of the {@code profile} and {@code email} scopes go to UserInfo when an access token
 * is issued, and into the ID token only when the client's registration asks for them there.
 */
class ScopeClaimsIntegrationTests extends IntegrationTestSupport {

	@Test
	void whenAccessTokenIsIssuedThenScopeClaimsAreInUserInfoAndNotInTheIdToken() throws Exception {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		TestUserAccounts.Created user = newUser();
		OidcTestClient rp = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));

		OidcTestClient.Authorized authorized = rp.authorize(new Browser(), TestRegisteredClients.REDIRECT_URI,
				"openid profile email", user);
		OIDCTokens tokens = OidcTestClient.success(rp.exchange(authorized.code(), authorized.request()))
			.getOIDCTokens();

		IDTokenClaimsSet idToken = rp.validate(tokens.getIDToken(), authorized.request().nonce());
		assertThat(idToken.getSubject().getValue()).isEqualTo(user.subject());
		assertThat(idToken.toJSONObject()).doesNotContainKeys("name", "preferred_username", "email",
				"email_verified", "updated_at");
		UserInfo userInfo = userInfo(tokens.getAccessToken());
		assertThat(userInfo.getSubject().getValue()).isEqualTo(user.subject());
		assertThat(userInfo.getName()).isEqualTo(user.account().name());
		assertThat(userInfo.getPreferredUsername()).isEqualTo(user.username());
		assertThat(userInfo.getEmailAddress()).isEqualTo(user.account().email());
		assertThat(userInfo.getEmailVerified()).isTrue();
		assertThat(userInfo.getUpdatedTime()).isNotNull();
		// A refreshed ID token follows the same rule.
		OIDCTokens refreshed = OidcTestClient.success(rp.token(new RefreshTokenGrant(tokens.getRefreshToken())))
			.getOIDCTokens();
		assertThat(rp.validate(refreshed.getIDToken(), null).toJSONObject()).doesNotContainKeys("email",
				"preferred_username");
	}

	@Test
	void whenClientRegistrationAsksForIdTokenClaimsThenTheIdTokenCarriesTheGrantedOnes() throws Exception {
		RegisteredClient client = save(TestRegisteredClients.confidentialClientReadingIdTokenClaims());
		TestUserAccounts.Created user = newUser();
		OidcTestClient rp = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));

		OidcTestClient.Authorized authorized = rp.authorize(new Browser(), TestRegisteredClients.REDIRECT_URI,
				"openid email", user);
		OIDCTokens tokens = OidcTestClient.success(rp.exchange(authorized.code(), authorized.request()))
			.getOIDCTokens();

		IDTokenClaimsSet idToken = rp.validate(tokens.getIDToken(), authorized.request().nonce());
		assertThat(idToken.getStringClaim("email")).isEqualTo(user.account().email());
		assertThat(idToken.getBooleanClaim("email_verified")).isTrue();
		// Only the granted scopes' claims: profile was not asked for.
		assertThat(idToken.toJSONObject()).doesNotContainKeys("name", "preferred_username");
		assertThat(userInfo(tokens.getAccessToken()).getEmailAddress()).isEqualTo(user.account().email());
	}

	static UserInfo userInfo(AccessToken token) throws Exception {
		UserInfoResponse response = UserInfoResponse
			.parse(new UserInfoRequest(URI.create(ISSUER + "/userinfo"), (BearerAccessToken) token).toHTTPRequest()
				.send());
		assertThat(response.indicatesSuccess()).as("userinfo answer").isTrue();
		return response.toSuccessResponse().getUserInfo();
	}

}
