package dev.authserver;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OIDC Core 1.0 §3.1.2.1: the authorization endpoint, by GET or by form POST and whatever the {@code Accept} header,
 * sends a person without a session to the login page and resumes the request after sign-in; only the API endpoints
 * answer 401.
 */
class AuthorizationEndpointSignInIntegrationTests extends IntegrationTestSupport {

	private static final String NO_ACCEPT = "(none)";

	@ParameterizedTest
	@ValueSource(strings = { "*/*", "application/json", "application/json, text/plain, */*", NO_ACCEPT, "text/html" })
	void whenAuthorizationRequestIsSentByGetWithAnyAcceptThenLoginPageAndResumedAfterSignIn(String accept) {
		Flow flow = new Flow();
		HttpRequest.Builder get = HttpRequest.newBuilder(URI.create(flow.request.uri())).GET();

		flow.signInAndGetCode(accept(get, accept));
	}

	@ParameterizedTest
	@ValueSource(strings = { "*/*", "application/json", NO_ACCEPT, "text/html" })
	void whenAuthorizationRequestIsSentByFormPostWithAnyAcceptThenLoginPageAndResumedAfterSignIn(String accept) {
		Flow flow = new Flow();
		URI uri = URI.create(flow.request.uri());
		HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(ISSUER + "/oauth2/authorize"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(uri.getRawQuery()));

		flow.signInAndGetCode(accept(post, accept));
	}

	@Test
	void whenApiEndpointIsCalledWithoutCredentialsThenUnauthorizedAndNotTheLoginPage() {
		Browser browser = new Browser();
		for (String accept : List.of("*/*", "text/html", "application/json")) {
			HttpResponse<String> userInfo = browser
				.send(HttpRequest.newBuilder(URI.create(ISSUER + "/userinfo")).header("Accept", accept).GET());
			assertThat(userInfo.statusCode()).as("UserInfo with Accept " + accept).isEqualTo(401);
			assertThat(userInfo.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
			HttpResponse<String> token = browser.send(HttpRequest.newBuilder(URI.create(ISSUER + "/oauth2/token"))
				.header("Accept", accept)
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));
			assertThat(token.statusCode()).as("token endpoint with Accept " + accept).isEqualTo(401);
		}
		// None of them became the request to resume after a sign-in.
		TestUserAccounts.Created user = newUser();
		HttpResponse<String> signedIn = browser.signIn(ISSUER, user.username(), user.password());
		assertThat(Browser.location(signedIn, ISSUER)).isEqualTo(ISSUER + "/");
	}

	private static HttpRequest.Builder accept(HttpRequest.Builder request, String accept) {
		return NO_ACCEPT.equals(accept) ? request : request.header("Accept", accept);
	}

	/** A client that needs no consent page, a person, and the request the client sends. */
	private final class Flow {

		final RegisteredClient client = save(TestRegisteredClients.confidentialClient()
			.clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false).build()));

		final OidcTestClient rp = new OidcTestClient(ISSUER, this.client, TestRegisteredClients.secretOf(this.client));

		final OidcTestClient.Request request = this.rp.authorizationRequest(TestRegisteredClients.REDIRECT_URI,
				"openid");

		final TestUserAccounts.Created user = newUser();

		final Browser browser = new Browser();

		void signInAndGetCode(HttpRequest.Builder authorizationRequest) {
			HttpResponse<String> first = this.browser.send(authorizationRequest);
			assertThat(first.statusCode()).as(first.body()).isEqualTo(302);
			assertThat(first.headers().firstValue("WWW-Authenticate")).isEmpty();
			assertThat(Browser.location(first, ISSUER)).isEqualTo(ISSUER + "/login");

			HttpResponse<String> signedIn = this.browser.signIn(ISSUER, this.user.username(), this.user.password());
			String resumed = Browser.location(signedIn, ISSUER);
			assertThat(resumed).as("the authorization request is resumed").startsWith(ISSUER + "/oauth2/authorize?");

			String callback = Browser.location(this.browser.get(resumed), ISSUER);
			CallbackParameters parameters = CallbackParameters.parse(callback);
			assertThat(callback).startsWith(TestRegisteredClients.REDIRECT_URI + "?");
			assertThat(parameters.get("error")).as(callback).isNull();
			assertThat(parameters.get("state")).isEqualTo(this.request.state().getValue());
			String code = parameters.get("code");
			assertThat(code).isNotNull();
			IDTokenClaimsSet idToken = this.rp.validate(OidcTestClient.success(this.rp.token(new AuthorizationCodeGrant(
					new AuthorizationCode(code), URI.create(this.request.redirectUri()), this.request.verifier())))
				.getOIDCTokens()
				.getIDToken(), this.request.nonce());
			assertThat(idToken.getSubject().getValue()).isEqualTo(this.user.account().id().toString());
		}

	}

}
