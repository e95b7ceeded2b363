package dev.authserver.tokens;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import dev.authserver.Browser;
import dev.authserver.IntegrationTestSupport;
import dev.authserver.OidcTestClient;
import dev.authserver.TestRegisteredClients;
import dev.authserver.TestUserAccounts;
import dev.authserver.clients.SubjectTypes;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OIDC Core 1.0 §8.1: a pairwise client sees one {@code sub} per sector in its ID tokens, access tokens,
 * introspection and UserInfo; a public client sees the account id. The clients are saved directly (registration:
 * {@code DynamicClientRegistrationIntegrationTests}).
 */
class PairwiseSubjectIntegrationTests extends IntegrationTestSupport {

	@Test
	void whenPairwiseClientsSignInTheSamePersonThenTheSubIsPerSector() throws Exception {
		TestUserAccounts.Created user = newUser();
		String first = subjectsAgree(pairwise("rp.example"), user);
		String sameSector = subjectsAgree(pairwise("rp.example"), user);
		String otherSector = subjectsAgree(pairwise("other.example"), user);
		String publicSubject = subjectsAgree(save(TestRegisteredClients.confidentialClient()), user);

		assertThat(first).isEqualTo(sameSector).isNotEqualTo(otherSector).isNotEqualTo(user.subject());
		assertThat(otherSector).isNotEqualTo(user.subject());
		assertThat(publicSubject).isEqualTo(user.subject());
	}

	@Test
	void whenPromptIsNoneWithThePairwiseIdTokenOfTheSignedInPersonThenACode() throws Exception {
		TestUserAccounts.Created user = newUser();
		RegisteredClient client = pairwise("rp.example");
		OidcTestClient rp = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
		Browser browser = new Browser();
		OidcTestClient.Authorized first = rp.authorize(browser, TestRegisteredClients.REDIRECT_URI, "openid", user);
		JWT idToken = OidcTestClient.success(rp.exchange(first.code(), first.request())).getOIDCTokens().getIDToken();
		String subject = idToken.getJWTClaimsSet().getSubject();
		assertThat(subject).isNotEqualTo(user.subject());

		OidcTestClient.Request request = rp.authorizationRequest(TestRegisteredClients.REDIRECT_URI, "openid");
		HttpResponse<String> hinted = browser.get(request.uri() + "&prompt=none&id_token_hint=" + idToken.serialize());
		assertThat(Browser.location(hinted, ISSUER)).startsWith(TestRegisteredClients.REDIRECT_URI + "?code=");

		// OIDC Core §5.5.1: a claims request's sub value is the client's sub, not the account id
		HttpResponse<String> named = browser.get(request.uri() + "&prompt=none&claims=" + claimsNaming(subject));
		assertThat(Browser.location(named, ISSUER)).startsWith(TestRegisteredClients.REDIRECT_URI + "?code=");
		HttpResponse<String> accountId = browser
			.get(request.uri() + "&prompt=none&claims=" + claimsNaming(user.subject()));
		assertThat(Browser.location(accountId, ISSUER)).contains("error=login_required");
	}

	@Test
	void whenRpInitiatedLogoutHasAPairwiseIdTokenHintThenSignedOut() throws Exception {
		TestUserAccounts.Created user = newUser();
		RegisteredClient client = pairwise("rp.example");
		OidcTestClient rp = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
		Browser browser = new Browser();
		OidcTestClient.Authorized first = rp.authorize(browser, TestRegisteredClients.REDIRECT_URI, "openid", user);
		JWT idToken = OidcTestClient.success(rp.exchange(first.code(), first.request())).getOIDCTokens().getIDToken();
		assertThat(idToken.getJWTClaimsSet().getSubject()).isNotEqualTo(user.subject());

		HttpResponse<String> logout = browser.get(ISSUER + "/connect/logout?id_token_hint=" + idToken.serialize()
				+ "&post_logout_redirect_uri="
				+ URLEncoder.encode(TestRegisteredClients.POST_LOGOUT_REDIRECT_URI, StandardCharsets.UTF_8));

		assertThat(Browser.location(logout, ISSUER)).startsWith(TestRegisteredClients.POST_LOGOUT_REDIRECT_URI);
		HttpResponse<String> home = browser.get(ISSUER + "/");
		assertThat(Browser.location(home, ISSUER)).isEqualTo(ISSUER + "/login");
	}

	private static String claimsNaming(String subject) {
		return URLEncoder.encode("{\"id_token\":{\"sub\":{\"value\":\"" + subject + "\"}}}",
				StandardCharsets.UTF_8);
	}

	// The sub of the ID token, checked to be the one of the access token, introspection and UserInfo
	private String subjectsAgree(RegisteredClient client, TestUserAccounts.Created user) throws Exception {
		OidcTestClient rp = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
		OidcTestClient.Authorized authorized = rp.authorize(new Browser(), TestRegisteredClients.REDIRECT_URI,
				"openid profile", user);
		OIDCTokens tokens = OidcTestClient.success(rp.exchange(authorized.code(), authorized.request()))
			.getOIDCTokens();
		IDTokenClaimsSet idToken = rp.validate(tokens.getIDToken(), authorized.request().nonce());
		String subject = idToken.getSubject().getValue();
		assertThat(rp.verifyAccessToken(JWTParser.parse(tokens.getAccessToken().getValue()))
			.getSubject()).isEqualTo(subject);
		assertThat(rp.introspect(tokens.getAccessToken()).getSubject().getValue()).isEqualTo(subject);
		assertThat(ScopeClaimsIntegrationTests.userInfo((BearerAccessToken) tokens.getAccessToken())
			.getSubject()
			.getValue()).isEqualTo(subject);
		return subject;
	}

	private RegisteredClient pairwise(String sector) {
		RegisteredClient client = TestRegisteredClients.confidentialClient().build();
		return save(RegisteredClient.from(client)
			.clientSettings(ClientSettings.withSettings(client.getClientSettings().getSettings())
				.setting(SubjectTypes.SUBJECT_TYPE_SETTING, SubjectTypes.PAIRWISE)
				.setting(SubjectTypes.SECTOR_SETTING, sector)
				.build()));
	}

}
