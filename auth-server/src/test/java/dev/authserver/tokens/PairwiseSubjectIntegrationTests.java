package dev.authserver.tokens;

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
 * introspection and UserInfo; a public client sees the account id. The clients are saved directly: registration
 * does not accept pairwise yet.
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
