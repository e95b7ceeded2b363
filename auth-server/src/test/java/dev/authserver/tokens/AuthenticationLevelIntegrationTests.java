package dev.authserver.tokens;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.openid.connect.sdk.OIDCClaimsRequest;
import com.nimbusds.openid.connect.sdk.Prompt;
import com.nimbusds.openid.connect.sdk.claims.ACR;
import com.nimbusds.openid.connect.sdk.claims.AMR;
import com.nimbusds.openid.connect.sdk.claims.ClaimRequirement;
import com.nimbusds.openid.connect.sdk.claims.ClaimsSetRequest;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import dev.authserver.Browser;
import dev.authserver.CallbackParameters;
import dev.authserver.IntegrationTestSupport;
import dev.authserver.OidcTestClient;
import dev.authserver.TestRegisteredClients;
import dev.authserver.TestUserAccounts;
import dev.authserver.mfa.AuthenticatorApp;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code acr} and {@code amr} in ID tokens (OIDC Core 1.0 §2, RFC 8176), and step-up: a client asking for the
 * multi-factor level ({@code acr_values}, an essential {@code acr} claim) makes a person who signed in with a password
 * give a second factor, setting one up first, before it gets a code.
 */
class AuthenticationLevelIntegrationTests extends IntegrationTestSupport {

	private static final String ONE_FACTOR = "urn:authserver:acr:1fa";

	private static final String MULTI_FACTOR = "urn:authserver:acr:mfa";

	@Test
	void whenUserSignsInWithAPasswordThenTheIdTokenSaysOneFactorAndPwd() throws Exception {
		OidcTestClient rp = relyingParty(TestRegisteredClients.confidentialClient());
		OidcTestClient.Authorized authorized = rp.authorize(new Browser(), TestRegisteredClients.REDIRECT_URI,
				"openid", newUser());
		OIDCTokens tokens = OidcTestClient.success(rp.exchange(authorized.code(), authorized.request()))
			.getOIDCTokens();

		IDTokenClaimsSet idToken = rp.validate(tokens.getIDToken(), authorized.request().nonce());
		assertThat(idToken.getACR()).isEqualTo(new ACR(ONE_FACTOR));
		assertThat(idToken.getAMR()).containsExactly(AMR.PWD);
		assertThat(idToken.getAuthenticationTime()).isNotNull();
		// A refreshed ID token describes the same sign-in (OIDC Core §12.2).
		IDTokenClaimsSet refreshed = rp.validate(OidcTestClient
			.success(rp.token(new RefreshTokenGrant(tokens.getRefreshToken())))
			.getOIDCTokens()
			.getIDToken(), null);
		assertThat(refreshed.getACR()).isEqualTo(new ACR(ONE_FACTOR));
		assertThat(refreshed.getAMR()).containsExactly(AMR.PWD);
		// What the tokens carry is what discovery advertises.
		OIDCProviderMetadata metadata = OIDCProviderMetadata
			.parse(new Browser().get(ISSUER + "/.well-known/openid-configuration").body());
		assertThat(metadata.getACRs()).extracting(ACR::getValue).containsExactly(ONE_FACTOR, MULTI_FACTOR);
		assertThat(metadata.getClaims()).contains("acr", "amr", "auth_time");
		assertThat(metadata.supportsClaimsParam()).isTrue();
		// The account holds no address or phone number: those scopes are not offered (OIDC Core §5.4).
		assertThat(metadata.getScopes().toStringList()).contains("openid", "profile", "email")
			.doesNotContain("address", "phone");
	}

	@Test
	void whenClientAsksForMultiFactorThenAOneFactorPersonSetsUpASecondFactorAndTheIdTokenSaysMfa() throws Exception {
		OidcTestClient rp = relyingParty(TestRegisteredClients.confidentialClient());
		TestUserAccounts.Created user = newUser();
		OidcTestClient.Request request = rp.authorizationRequest(TestRegisteredClients.REDIRECT_URI, "openid",
				(builder) -> builder.acrValues(List.of(new ACR(MULTI_FACTOR))));
		Browser browser = new Browser();
		assertThat(Browser.location(browser.get(request.uri()), ISSUER)).isEqualTo(ISSUER + "/login");
		String resumed = Browser.location(browser.signIn(ISSUER, user.username(), user.password()), ISSUER);

		// No code for the password alone: the person has no second factor, so they set one up.
		HttpResponse<String> held = browser.get(resumed);
		assertThat(Browser.location(held, ISSUER)).isEqualTo(ISSUER + "/account/security?required");
		String next = enrolTotp(browser);
		assertThat(next).startsWith(ISSUER + "/oauth2/authorize?");

		CallbackParameters callback = CallbackParameters
			.parse(browser.authorize(ISSUER, next, user.username(), user.password()));
		assertThat(callback.get("error")).isNull();
		IDTokenClaimsSet idToken = rp.validate(OidcTestClient
			.success(rp.exchange(callback.get("code"), request))
			.getOIDCTokens()
			.getIDToken(), request.nonce());
		assertThat(idToken.getACR()).isEqualTo(new ACR(MULTI_FACTOR));
		assertThat(idToken.getAMR()).containsExactlyInAnyOrder(AMR.PWD, AMR.OTP, AMR.MFA);
	}

	@Test
	void whenClientAsksForMultiFactorWithoutAnyPageThenVoluntaryGetsTheLevelReachedAndEssentialIsRefused() {
		OidcTestClient rp = relyingParty(TestRegisteredClients.confidentialClient()
			.clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false).build()));
		TestUserAccounts.Created user = newUser();
		Browser browser = new Browser();
		browser.signIn(ISSUER, user.username(), user.password());

		// acr_values is voluntary (OIDC Core §3.1.2.1): with prompt=none, the code carries the level reached.
		OidcTestClient.Request voluntary = rp.authorizationRequest(TestRegisteredClients.REDIRECT_URI, "openid",
				(builder) -> builder.acrValues(List.of(new ACR(MULTI_FACTOR))).prompt(Prompt.Type.NONE));
		CallbackParameters issued = CallbackParameters.parse(Browser.location(browser.get(voluntary.uri()), ISSUER));
		assertThat(issued.get("error")).isNull();
		IDTokenClaimsSet idToken = rp.validate(OidcTestClient
			.success(rp.exchange(issued.get("code"), voluntary))
			.getOIDCTokens()
			.getIDToken(), voluntary.nonce());
		assertThat(idToken.getACR()).isEqualTo(new ACR(ONE_FACTOR));

		// An essential acr that cannot be met is an error (§5.5.1.1), never a lower level.
		OIDCClaimsRequest essentialMfa = new OIDCClaimsRequest().withIDTokenClaimsRequest(new ClaimsSetRequest()
			.add(new ClaimsSetRequest.Entry("acr").withClaimRequirement(ClaimRequirement.ESSENTIAL)
				.withValues(List.of(MULTI_FACTOR))));
		OidcTestClient.Request essential = rp.authorizationRequest(TestRegisteredClients.REDIRECT_URI, "openid",
				(builder) -> builder.claims(essentialMfa).prompt(Prompt.Type.NONE));
		CallbackParameters refused = CallbackParameters.parse(Browser.location(browser.get(essential.uri()), ISSUER));
		assertThat(refused.get("error")).isEqualTo("unmet_authentication_requirements");
		assertThat(refused.get("state")).isEqualTo(essential.state().getValue());
		assertThat(refused.get("code")).isNull();

		// With pages allowed, the same essential request is a step-up, as acr_values is.
		OidcTestClient.Request stepUp = rp.authorizationRequest(TestRegisteredClients.REDIRECT_URI, "openid",
				(builder) -> builder.claims(essentialMfa));
		assertThat(Browser.location(browser.get(stepUp.uri()), ISSUER))
			.isEqualTo(ISSUER + "/account/security?required");
		// Asking for one factor, or for either level, needs nothing more.
		OidcTestClient.Request either = rp.authorizationRequest(TestRegisteredClients.REDIRECT_URI, "openid",
				(builder) -> builder.acrValues(List.of(new ACR(MULTI_FACTOR), new ACR(ONE_FACTOR))));
		String answer = Browser.location(browser.get(either.uri()), ISSUER);
		assertThat(CallbackParameters.parse(answer).get("code")).as(answer).isNotNull();
	}

	private OidcTestClient relyingParty(RegisteredClient.Builder builder) {
		RegisteredClient client = save(builder);
		return new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
	}

	/** Sets up TOTP from the security page; returns where the confirmation page's "continue" leads. */
	private static String enrolTotp(Browser browser) {
		Document security = Jsoup.parse(browser.get(ISSUER + "/account/security?required").body());
		browser.postForm(ISSUER + "/account/security/totp/start",
				Browser.formFields(security.getElementById("totp-start")));
		Document page = Jsoup.parse(browser.get(ISSUER + "/account/security/totp").body());
		AuthenticatorApp app = new AuthenticatorApp(page.getElementById("totp-secret").text());
		List<Map.Entry<String, String>> fields = new ArrayList<>(
				Browser.formFields(page.getElementById("totp-confirm")));
		fields.removeIf((field) -> field.getKey().equals("code"));
		fields.add(Map.entry("code", app.codeAt(Instant.now())));
		HttpResponse<String> confirmed = browser.postForm(ISSUER + "/account/security/totp/confirm", fields);
		assertThat(confirmed.statusCode()).isEqualTo(200);
		return ISSUER + Jsoup.parse(confirmed.body()).getElementById("continue").attr("href");
	}

}
