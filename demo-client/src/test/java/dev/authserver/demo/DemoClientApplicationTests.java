package dev.authserver.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.util.MultiValueMap;
import org.springframework.web.util.UriComponents;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives the running demo over real HTTP, redirects not followed; no authorization server is needed.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "demo.client-secret=test-secret", "demo.issuer=http://localhost:9999" })
class DemoClientApplicationTests {

	private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

	@LocalServerPort
	private int port;

	@Test
	void homePageWhenAnonymousThenRendersSignInLink() throws Exception {
		HttpResponse<String> response = get("/");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("href=\"/oauth2/authorization/demo\"")
			.contains(">Sign in</a>")
			.contains("demo relying party")
			.contains("http://localhost:9999")
			// The federated buttons are on by default (config/demo-client.yml) and pass the hint through.
			.contains("href=\"/oauth2/authorization/demo?idp_hint=github\"")
			.contains("href=\"/oauth2/authorization/demo?idp_hint=google\"")
			.doesNotContain("Sign out");
		assertThat(response.headers().allValues("Set-Cookie")).as("reading the home page starts no session").isEmpty();
	}

	@Test
	void profileWhenAnonymousThenRedirectsToHomePage() throws Exception {
		HttpResponse<String> response = get("/profile");

		assertThat(response.statusCode()).isEqualTo(302);
		assertThat(location(response)).isEqualTo(URI.create(baseUrl() + "/"));
	}

	@Test
	void authorizationRequestWhenStartedThenRedirectsToIssuerWithStateNonceAndPkce() throws Exception {
		HttpResponse<String> response = get("/oauth2/authorization/demo");

		assertThat(response.statusCode()).isEqualTo(302);
		UriComponents location = UriComponentsBuilder.fromUri(location(response)).build();
		assertThat(location.getScheme() + "://" + location.getHost() + ":" + location.getPort() + location.getPath())
			.isEqualTo("http://localhost:9999/oauth2/authorize");
		MultiValueMap<String, String> parameters = location.getQueryParams();
		assertThat(parameter(parameters, "response_type")).isEqualTo("code");
		assertThat(parameter(parameters, "client_id")).isEqualTo("demo-client");
		assertThat(parameter(parameters, "scope").split(" ")).contains("openid", "profile", "email");
		assertThat(parameter(parameters, "redirect_uri")).isEqualTo(baseUrl() + "/login/oauth2/code/demo");
		assertThat(parameter(parameters, "state")).isNotBlank();
		assertThat(parameter(parameters, "nonce")).isNotBlank();
		// RFC 7636 §4.2: S256 challenge = BASE64URL(SHA256(verifier)), 43 characters without padding
		assertThat(parameter(parameters, "code_challenge")).matches("[A-Za-z0-9_-]{43}");
		assertThat(parameter(parameters, "code_challenge_method")).isEqualTo("S256");
		assertThat(parameters).doesNotContainKey("idp_hint");
	}

	@Test
	void authorizationRequestWhenStartedThenSessionCookieIsDemoSession() throws Exception {
		HttpResponse<String> response = get("/oauth2/authorization/demo");

		List<String> cookies = response.headers().allValues("Set-Cookie");
		assertThat(cookies).anySatisfy((cookie) -> assertThat(cookie).startsWith("DEMOSESSION=").contains("HttpOnly"));
		assertThat(cookies).noneSatisfy((cookie) -> assertThat(cookie).startsWith("JSESSIONID="));
	}

	@ParameterizedTest
	@ValueSource(strings = { "github", "google" })
	void authorizationRequestWhenKnownIdpHintThenPassesItOn(String idpHint) throws Exception {
		HttpResponse<String> response = get("/oauth2/authorization/demo?idp_hint=" + idpHint);

		assertThat(response.statusCode()).isEqualTo(302);
		MultiValueMap<String, String> parameters = UriComponentsBuilder.fromUri(location(response))
			.build()
			.getQueryParams();
		assertThat(parameters.get("idp_hint")).containsExactly(idpHint);
		assertThat(parameter(parameters, "code_challenge_method")).isEqualTo("S256");
	}

	@ParameterizedTest
	@ValueSource(strings = { "evil", "GITHUB", "github%26prompt%3Dnone", "" })
	void authorizationRequestWhenUnknownIdpHintThenDropsIt(String idpHint) throws Exception {
		HttpResponse<String> response = get("/oauth2/authorization/demo?idp_hint=" + idpHint);

		assertThat(response.statusCode()).isEqualTo(302);
		MultiValueMap<String, String> parameters = UriComponentsBuilder.fromUri(location(response))
			.build()
			.getQueryParams();
		assertThat(parameters).doesNotContainKeys("idp_hint", "prompt");
		assertThat(parameter(parameters, "client_id")).isEqualTo("demo-client");
	}

	@Test
	void refreshWhenPostedWithoutCsrfTokenThenForbidden() throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + "/profile/refresh"))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build();

		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(403);
	}

	@Test
	void errorPageWhenPageMissingThenFriendlyAndWithoutStackTrace() throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/error"))
			.header("Accept", "text/html")
			.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(response.body()).contains("Back to the home page").doesNotContain("Exception");
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private URI location(HttpResponse<?> response) {
		String location = response.headers().firstValue("Location").orElseThrow();
		return URI.create(baseUrl() + "/").resolve(location);
	}

	private static String parameter(MultiValueMap<String, String> parameters, String name) {
		List<String> values = parameters.get(name);
		assertThat(values).as(name).hasSize(1);
		return UriUtils.decode(values.get(0), StandardCharsets.UTF_8);
	}

	private String baseUrl() {
		return "http://localhost:" + this.port;
	}

}
