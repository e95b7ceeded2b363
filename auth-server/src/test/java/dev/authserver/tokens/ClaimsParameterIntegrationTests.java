package dev.authserver.tokens;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import com.nimbusds.openid.connect.sdk.OIDCClaimsRequest;
import com.nimbusds.openid.connect.sdk.claims.ClaimRequirement;
import com.nimbusds.openid.connect.sdk.claims.ClaimsSetRequest;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.claims.UserInfo;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import dev.authserver.Browser;
import dev.authserver.CallbackParameters;
import dev.authserver.IntegrationTestSupport;
import dev.authserver.OidcTestClient;
import dev.authserver.TestRegisteredClients;
import dev.authserver.TestUserAccounts;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code claims} request parameter (OIDC Core 1.0 §5.5), sent by the Nimbus SDK: individual claims asked for in
 * the ID token and from UserInfo, among those of the granted scopes; malformed requests refused with
 * {@code invalid_request} at the client; a {@code sub} with a value answered only for that person.
 */
class ClaimsParameterIntegrationTests extends IntegrationTestSupport {

	@Test
	void whenClaimsParameterAsksForIdTokenClaimsThenTheIdTokenCarriesThoseOfTheGrantedScopes() throws Exception {
		Relying rp = relyingParty();
		TestUserAccounts.Created user = newUser();
		OIDCClaimsRequest claims = new OIDCClaimsRequest().withIDTokenClaimsRequest(new ClaimsSetRequest()
			.add(new ClaimsSetRequest.Entry("email").withClaimRequirement(ClaimRequirement.ESSENTIAL))
			.add("name")
			.add("phone_number")
			.add("unknown_claim"));

		OIDCTokens tokens = rp.tokens(user, "openid profile email", claims);

		IDTokenClaimsSet idToken = rp.client().validate(tokens.getIDToken(), null);
		assertThat(idToken.getStringClaim("email")).isEqualTo(user.account().email());
		assertThat(idToken.getStringClaim("name")).isEqualTo(user.account().name());
		// Only what was asked for; claims we do not hold or do not know are simply absent (§5.5.1).
		assertThat(idToken.toJSONObject()).doesNotContainKeys("preferred_username", "email_verified", "phone_number",
				"unknown_claim");
		// UserInfo still answers every claim of the granted scopes (§5.4).
		UserInfo userInfo = ScopeClaimsIntegrationTests.userInfo(tokens.getAccessToken());
		assertThat(userInfo.getPreferredUsername()).isEqualTo(user.username());
		assertThat(userInfo.getEmailVerified()).isTrue();
	}

	@Test
	void whenClaimsParameterNamesClaimsOfAScopeNotGrantedThenTheyAreAbsent() throws Exception {
		Relying rp = relyingParty();
		TestUserAccounts.Created user = newUser();
		OIDCClaimsRequest claims = new OIDCClaimsRequest()
			.withIDTokenClaimsRequest(new ClaimsSetRequest()
				.add(new ClaimsSetRequest.Entry("email").withClaimRequirement(ClaimRequirement.ESSENTIAL)))
			.withUserInfoClaimsRequest(new ClaimsSetRequest()
				.add(new ClaimsSetRequest.Entry("email").withClaimRequirement(ClaimRequirement.ESSENTIAL)));

		OIDCTokens tokens = rp.tokens(user, "openid profile", claims);

		// The person consented to profile only: a claims request does not widen that.
		assertThat(rp.client().validate(tokens.getIDToken(), null).toJSONObject()).doesNotContainKey("email");
		UserInfo userInfo = ScopeClaimsIntegrationTests.userInfo(tokens.getAccessToken());
		assertThat(userInfo.getEmailAddress()).isNull();
		assertThat(userInfo.getPreferredUsername()).isEqualTo(user.username());
	}

	@Test
	void whenClaimsParameterAsksForUserInfoClaimsThenUserInfoAnswersThemAndTheIdTokenDoesNot() throws Exception {
		Relying rp = relyingParty();
		TestUserAccounts.Created user = newUser();
		OIDCClaimsRequest claims = new OIDCClaimsRequest().withUserInfoClaimsRequest(new ClaimsSetRequest()
			.add(new ClaimsSetRequest.Entry("email").withClaimRequirement(ClaimRequirement.ESSENTIAL)));

		OIDCTokens tokens = rp.tokens(user, "openid email", claims);

		assertThat(rp.client().validate(tokens.getIDToken(), null).toJSONObject()).doesNotContainKey("email");
		assertThat(ScopeClaimsIntegrationTests.userInfo(tokens.getAccessToken()).getEmailAddress())
			.isEqualTo(user.account().email());
	}

	@Test
	void whenClaimsParameterIsMalformedThenTheClientGetsInvalidRequest() {
		Relying rp = relyingParty();
		for (String malformed : new String[] { "{not json", "[]", "{\"id_token\":\"email\"}",
				"{\"id_token\":{\"email\":true}}", "{\"userinfo\":{\"email\":{\"essential\":\"yes\"}}}",
				"{\"id_token\":{\"acr\":{\"values\":\"x\"}}}" }) {
			OidcTestClient.Request request = rp.client().authorizationRequest(TestRegisteredClients.REDIRECT_URI,
					"openid");
			String uri = request.uri() + "&claims=" + URLEncoder.encode(malformed, StandardCharsets.UTF_8);

			String location = Browser.location(new Browser().get(uri), ISSUER);

			assertThat(location).as(malformed).startsWith(TestRegisteredClients.REDIRECT_URI + "?");
			CallbackParameters callback = CallbackParameters.parse(location);
			assertThat(callback.get("error")).as(malformed).isEqualTo("invalid_request");
			assertThat(callback.get("state")).isEqualTo(request.state().getValue());
			assertThat(callback.get("code")).isNull();
		}
	}

	@Test
	void whenClaimsParameterIsRepeatedThenTheClientGetsInvalidRequest() {
		Relying rp = relyingParty();
		OidcTestClient.Request request = rp.client().authorizationRequest(TestRegisteredClients.REDIRECT_URI, "openid");
		String claims = URLEncoder.encode("{\"id_token\":{\"email\":null}}", StandardCharsets.UTF_8);

		String location = Browser.location(new Browser().get(request.uri() + "&claims=" + claims + "&claims=" + claims),
				ISSUER);

		assertThat(CallbackParameters.parse(location).get("error")).isEqualTo("invalid_request");
	}

	@Test
	void whenClaimsParameterNamesAnotherSubjectThenNoCodeIsIssued() {
		Relying rp = relyingParty();
		TestUserAccounts.Created user = newUser();
		OidcTestClient.Request other = rp.client()
			.authorizationRequest(TestRegisteredClients.REDIRECT_URI, "openid",
					(builder) -> builder.claims(new OIDCClaimsRequest().withIDTokenClaimsRequest(new ClaimsSetRequest()
						.add(new ClaimsSetRequest.Entry("sub").withValue(UUID.randomUUID().toString())))));

		CallbackParameters refused = CallbackParameters
			.parse(new Browser().authorize(ISSUER, other.uri(), user.username(), user.password()));

		assertThat(refused.get("error")).isEqualTo("login_required");
		assertThat(refused.get("code")).isNull();
		// The same request naming the signed-in person is answered.
		OidcTestClient.Request same = rp.client()
			.authorizationRequest(TestRegisteredClients.REDIRECT_URI, "openid",
					(builder) -> builder.claims(new OIDCClaimsRequest().withIDTokenClaimsRequest(
							new ClaimsSetRequest().add(new ClaimsSetRequest.Entry("sub").withValue(user.subject())))));
		OidcTestClient.Authorized authorized = rp.client().authorize(new Browser(), same, user);
		assertThat(OidcTestClient.success(rp.client().exchange(authorized.code(), same)).getOIDCTokens().getIDToken())
			.isNotNull();
	}

	@Test
	void discoveryWhenFetchedThenAdvertisesTheClaimsParameter() throws Exception {
		OIDCProviderMetadata metadata = OIDCProviderMetadata
			.parse(new Browser().get(ISSUER + "/.well-known/openid-configuration").body());

		assertThat(metadata.supportsClaimsParam()).isTrue();
	}

	private Relying relyingParty() {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		return new Relying(new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client)));
	}

	/** A relying party that sends a claims request and exchanges the code. */
	record Relying(OidcTestClient client) {

		OIDCTokens tokens(TestUserAccounts.Created user, String scope, OIDCClaimsRequest claims) {
			OidcTestClient.Request request = this.client.authorizationRequest(TestRegisteredClients.REDIRECT_URI,
					scope, (builder) -> builder.claims(claims));
			OidcTestClient.Authorized authorized = this.client.authorize(new Browser(), request, user);
			return OidcTestClient.success(this.client.exchange(authorized.code(), request)).getOIDCTokens();
		}

	}

}
