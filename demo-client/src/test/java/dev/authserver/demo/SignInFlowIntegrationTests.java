package dev.authserver.demo;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.MultiValueMap;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signs in through a stand-in authorization server and then uses the profile page, the forced refresh and sign-out
 * as a browser would (cookies kept, redirects followed by hand).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SignInFlowIntegrationTests {

	private static final FakeAuthorizationServer authorizationServer = FakeAuthorizationServer.start();

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	@LocalServerPort
	private int port;

	private HttpClient browser = newBrowser();

	@DynamicPropertySource
	static void demoProperties(DynamicPropertyRegistry registry) {
		registry.add("demo.issuer", authorizationServer::issuer);
		registry.add("demo.client-id", () -> FakeAuthorizationServer.CLIENT_ID);
		registry.add("demo.client-secret", () -> FakeAuthorizationServer.CLIENT_SECRET);
	}

	@AfterAll
	static void stopAuthorizationServer() {
		authorizationServer.close();
	}

	@BeforeEach
	void freshBrowser() {
		this.browser = newBrowser();
		authorizationServer.reset();
	}

	@Test
	void whenUserSignsInThenProfileShowsIdentityClaimsUserInfoAndTokenSummary() throws Exception {
		HttpResponse<String> profileFirst = get("/profile");
		assertThat(location(profileFirst)).isEqualTo(url("/"));

		HttpResponse<String> callback = signIn();

		assertThat(callback.statusCode()).isEqualTo(302);
		// Back to the saved request; Spring Security marks it with ?continue so it skips the request-cache lookup
		assertThat(location(callback)).isIn(url("/profile"), url("/profile?continue"));
		Map<String, String> tokenRequest = authorizationServer.tokenRequests().get(0);
		assertThat(tokenRequest).containsEntry("grant_type", "authorization_code")
			.containsEntry("redirect_uri", url("/login/oauth2/code/demo"))
			.containsKey("code_verifier");
		HttpResponse<String> profile = get("/profile");
		assertThat(profile.statusCode()).isEqualTo(200);
		assertThat(profile.body()).contains("Ada Lovelace")
			.contains("ada@example.com")
			.contains(FakeAuthorizationServer.SUBJECT)
			.contains("ID token claims")
			.contains(authorizationServer.issuer())
			.contains("Authenticated at")
			.contains("UserInfo endpoint")
			.contains("Updated at")
			.contains("2023-11-14 22:13:20 UTC")
			.containsPattern("<code>at\\d+-[0-9a-f]{4,5}\u2026</code>")
			.contains("Refresh token</dt>\n\t\t\t\t<dd>present</dd>");
		assertNoTokenShownInFull(profile.body());
	}

	@Test
	void whenUserRefreshesTokensThenNewTokensAreSavedAndShown() throws Exception {
		signIn();
		HttpResponse<String> before = get("/profile");
		String previewBefore = accessTokenPreview(before.body());

		HttpResponse<String> refresh = post("/profile/refresh", csrfToken(before.body()));

		assertThat(refresh.statusCode()).isEqualTo(302);
		assertThat(location(refresh)).isEqualTo(url("/profile"));
		assertThat(authorizationServer.tokenRequests()).last()
			.satisfies((request) -> assertThat(request).containsEntry("grant_type", "refresh_token")
				.containsKey("refresh_token"));
		HttpResponse<String> after = get("/profile");
		assertThat(after.statusCode()).isEqualTo(200);
		assertThat(after.body()).contains("Tokens refreshed.")
			.contains("The new access token expires at")
			.contains("The refresh token was rotated.")
			.contains("A new ID token was issued.");
		assertThat(accessTokenPreview(after.body())).isNotEqualTo(previewBefore);
		assertNoTokenShownInFull(after.body());

		HttpResponse<String> again = get("/profile");
		assertThat(again.body()).doesNotContain("Tokens refreshed.");
	}

	@Test
	void whenRefreshIsRefusedThenProfileShowsReadableError() throws Exception {
		signIn();
		HttpResponse<String> before = get("/profile");
		authorizationServer.refuseRefresh();

		HttpResponse<String> refresh = post("/profile/refresh", csrfToken(before.body()));

		assertThat(refresh.statusCode()).isEqualTo(302);
		assertThat(location(refresh)).isEqualTo(url("/profile"));
		HttpResponse<String> after = get("/profile");
		assertThat(after.statusCode()).isEqualTo(200);
		assertThat(after.body())
			.contains("The tokens could not be refreshed: invalid_grant (The refresh token was revoked)")
			.doesNotContain("Tokens refreshed.")
			.doesNotContain("Exception");
	}

	@Test
	void whenUserInfoEndpointFailsThenProfileShowsReadableMessage() throws Exception {
		signIn();
		authorizationServer.breakUserInfo();

		HttpResponse<String> profile = get("/profile");

		assertThat(profile.statusCode()).isEqualTo(200);
		assertThat(profile.body()).contains("The userinfo endpoint answered HTTP 503")
			.contains("ID token claims")
			.doesNotContain("Exception")
			.doesNotContain("at org.");
	}

	@Test
	void whenUserSignsOutThenBrowserGoesToEndSessionEndpointAndSessionEnds() throws Exception {
		signIn();
		HttpResponse<String> profile = get("/profile");

		HttpResponse<String> logout = post("/logout", csrfToken(profile.body()));

		assertThat(logout.statusCode()).isEqualTo(302);
		MultiValueMap<String, String> parameters = UriComponentsBuilder.fromUriString(location(logout))
			.build()
			.getQueryParams();
		assertThat(location(logout)).startsWith(authorizationServer.issuer() + "/connect/logout?");
		assertThat(decoded(parameters, "post_logout_redirect_uri")).isEqualTo(url("/"));
		assertThat(decoded(parameters, "id_token_hint")).isIn(authorizationServer.issuedTokens());
		assertThat(location(get("/profile"))).isEqualTo(url("/"));
	}

	@Test
	void whenAuthorizationServerDeniesAccessThenHomePageExplains() throws Exception {
		HttpResponse<String> start = get("/oauth2/authorization/demo");
		MultiValueMap<String, String> parameters = UriComponentsBuilder.fromUriString(location(start))
			.build()
			.getQueryParams();

		HttpResponse<String> callback = get("/login/oauth2/code/demo?error=access_denied&state="
				+ UriUtils.encodeQueryParam(decoded(parameters, "state"), StandardCharsets.UTF_8));

		assertThat(location(callback)).isEqualTo(url("/?error"));
		HttpResponse<String> home = get("/?error");
		assertThat(home.statusCode()).isEqualTo(200);
		assertThat(home.body()).contains("Sign-in was cancelled or access was denied");
	}

	/**
	 * Starts at the demo, plays the authorization endpoint's part, and returns the demo's answer to the callback.
	 */
	private HttpResponse<String> signIn() throws IOException, InterruptedException {
		HttpResponse<String> start = get("/oauth2/authorization/demo");
		assertThat(start.statusCode()).isEqualTo(302);
		MultiValueMap<String, String> parameters = UriComponentsBuilder.fromUriString(location(start))
			.build()
			.getQueryParams();
		String redirectUri = decoded(parameters, "redirect_uri");
		String code = authorizationServer.issueCode(decoded(parameters, "nonce"),
				decoded(parameters, "code_challenge"), redirectUri);
		String callback = redirectUri + "?code=" + UriUtils.encodeQueryParam(code, StandardCharsets.UTF_8)
				+ "&state=" + UriUtils.encodeQueryParam(decoded(parameters, "state"), StandardCharsets.UTF_8);
		return send(HttpRequest.newBuilder(URI.create(callback)).build());
	}

	private void assertNoTokenShownInFull(String page) {
		List<String> tokens = authorizationServer.issuedTokens();
		assertThat(tokens).isNotEmpty();
		for (String token : tokens) {
			assertThat(page).doesNotContain(token).doesNotContain(token.substring(0, 12));
		}
	}

	private static String accessTokenPreview(String page) {
		Matcher matcher = Pattern.compile("<code>(at\\d+-[0-9a-f]+)\u2026</code>").matcher(page);
		assertThat(matcher.find()).as("access token preview on the page").isTrue();
		return matcher.group(1);
	}

	private static String csrfToken(String page) {
		Matcher matcher = CSRF.matcher(page);
		assertThat(matcher.find()).as("CSRF token in a form").isTrue();
		return matcher.group(1);
	}

	private static String decoded(MultiValueMap<String, String> parameters, String name) {
		String value = parameters.getFirst(name);
		assertThat(value).as(name).isNotNull();
		return UriUtils.decode(value, StandardCharsets.UTF_8);
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(URI.create(url(path))).header("Accept", "text/html").build());
	}

	private HttpResponse<String> post(String path, String csrfToken) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(URI.create(url(path)))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers
				.ofString("_csrf=" + UriUtils.encodeQueryParam(csrfToken, StandardCharsets.UTF_8)))
			.build());
	}

	private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
		return this.browser.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private String location(HttpResponse<?> response) {
		String location = response.headers().firstValue("Location").orElseThrow();
		return URI.create(url("/")).resolve(location).toString();
	}

	private String url(String path) {
		return "http://localhost:" + this.port + path;
	}

	private static HttpClient newBrowser() {
		return HttpClient.newBuilder()
			.cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

}
