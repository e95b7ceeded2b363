package dev.authserver;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Oversized and malformed input on every endpoint: a 4xx with an OAuth error or our error page, never a 5xx and
 * never a stack trace.
 */
class BadInputIntegrationTests extends IntegrationTestSupport {

	private static final String HUGE = "x".repeat(6_000);

	private static final String VERY_HUGE = "y".repeat(1_000_000);

	private static final String FORM = "application/x-www-form-urlencoded";

	private final HttpClient http = HttpClient.newBuilder()
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	static Stream<Arguments> badRequests() {
		String basicGarbage = "Basic !!!not-base64!!!";
		String basicNoColon = "Basic " + Base64.getEncoder().encodeToString("no-colon".getBytes());
		List<Arguments> requests = new ArrayList<>();
		// Authorization endpoint.
		requests.add(get("/oauth2/authorize"));
		requests.add(get("/oauth2/authorize?response_type=token&client_id=x&redirect_uri=https://a/&scope=openid"));
		requests.add(get("/oauth2/authorize?response_type=code&client_id=a&client_id=b&scope=openid"));
		requests.add(get("/oauth2/authorize?response_type=code&client_id=%00%01&scope=openid"));
		requests.add(get("/oauth2/authorize?response_type=code&client_id=" + HUGE + "&scope=openid"));
		requests.add(get("/oauth2/authorize?response_type=code&client_id=x&state=" + HUGE));
		requests.add(get("/oauth2/authorize?" + "a=b&".repeat(3_000)));
		requests.add(get("/oauth2/authorize?response_type=code&client_id=x&request_uri=urn:ietf:params:oauth:request_uri:x"));
		requests.add(post("/oauth2/authorize", null, "client_id=x&state=y&scope=openid"));
		requests.add(post("/oauth2/authorize", null, "response_type=code&client_id=" + VERY_HUGE));
		// Token endpoint.
		requests.add(post("/oauth2/token", null, "grant_type=authorization_code&code=x"));
		requests.add(post("/oauth2/token", basicGarbage, "grant_type=client_credentials"));
		requests.add(post("/oauth2/token", basicNoColon, "grant_type=client_credentials"));
		requests.add(post("/oauth2/token", null, "grant_type=client_credentials&client_id=x&client_secret=y"));
		requests.add(post("/oauth2/token", null, "grant_type=password&username=a&password=b&client_id=x"));
		requests.add(post("/oauth2/token", null, "grant_type=" + VERY_HUGE));
		requests.add(post("/oauth2/token", null, "client_id=x&client_assertion_type=urn:ietf:params:oauth:"
				+ "client-assertion-type:jwt-bearer&client_assertion=not.a.jwt&grant_type=client_credentials"));
		requests.add(post("/oauth2/token", null, "client_id=x&client_assertion_type=urn:ietf:params:oauth:"
				+ "client-assertion-type:jwt-bearer&client_assertion=" + HUGE + "&grant_type=client_credentials"));
		requests.add(post("/oauth2/token", null, "%zz=%zz"));
		requests.add(get("/oauth2/token?grant_type=client_credentials"));
		// Introspection and revocation.
		requests.add(post("/oauth2/introspect", null, "token=abc"));
		requests.add(post("/oauth2/token", null, "grant_type=refresh_token&refresh_token=%00&client_id=x"));
		requests.add(post("/oauth2/token", basicNoColon, "grant_type=authorization_code&code=a%00b"));
		requests.add(post("/oauth2/introspect", basicGarbage, "token=" + VERY_HUGE));
		requests.add(post("/oauth2/revoke", null, "token=abc"));
		requests.add(post("/oauth2/revoke", basicNoColon, "token=" + HUGE));
		// UserInfo.
		requests.add(withHeader("/userinfo", "Authorization", "Bearer garbage"));
		requests.add(withHeader("/userinfo", "Authorization", "Bearer " + HUGE));
		requests.add(withHeader("/userinfo", "Authorization", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."));
		requests.add(withHeader("/userinfo", "Authorization", "Basic abc"));
		requests.add(get("/userinfo"));
		// JWK set and metadata.
		requests.add(post("/oauth2/jwks", null, "x=y"));
		requests.add(get("/.well-known/openid-configuration/" + HUGE));
		// Logout.
		requests.add(get("/connect/logout?id_token_hint=garbage"));
		requests.add(get("/connect/logout?id_token_hint=" + HUGE));
		requests.add(get("/connect/logout?post_logout_redirect_uri=https://attacker.example/"));
		// Our pages.
		requests.add(get("/oauth2/consent"));
		requests.add(get("/oauth2/consent?client_id=" + HUGE + "&scope=openid&state=x"));
		requests.add(post("/login", null, "username=" + VERY_HUGE + "&password=x"));
		requests.add(post("/login", null, "username=a%00b&password=x"));
		requests.add(get("/no-such-page"));
		// Paths the firewall refuses.
		requests.add(get("/oauth2/%2e%2e/token"));
		requests.add(get("/oauth2;jsessionid=x/token"));
		requests.add(get("/oauth2/token%00"));
		requests.add(get("/%2F%2Foauth2/jwks"));
		return requests.stream();
	}

	@ParameterizedTest
	@MethodSource("badRequests")
	void endpointWhenInputIsBadThenClientErrorWithoutStackTrace(String method, String path,
			List<String> headers, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ISSUER + path)).timeout(Duration.ofSeconds(30));
		for (int i = 0; i < headers.size(); i += 2) {
			request.header(headers.get(i), headers.get(i + 1));
		}
		request.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body)
				: HttpRequest.BodyPublishers.noBody());

		HttpResponse<String> response = send(request.build());

		assertThat(response.statusCode()).as(method + " " + abbreviate(path)).isBetween(300, 499);
		assertThat(response.body()).doesNotContain("Exception").doesNotContain("at org.").doesNotContain("at java.");
	}

	@Test
	void tokenEndpointWhenRequestIsMalformedThenOAuthErrorJson() throws Exception {
		RegisteredClient client = save(TestRegisteredClients.serviceClient());
		String basic = TestRegisteredClients.basicAuthorization(client);

		HttpResponse<String> unsupported = send(HttpRequest.newBuilder(endpoint("/oauth2/token"))
			.header("Content-Type", FORM)
			.header("Authorization", basic)
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=password&username=a&password=b"))
			.build());
		HttpResponse<String> duplicated = send(HttpRequest.newBuilder(endpoint("/oauth2/token"))
			.header("Content-Type", FORM)
			.header("Authorization", basic)
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=a&scope=b"))
			.build());

		assertThat(unsupported.statusCode()).isEqualTo(400);
		assertThat(unsupported.body()).contains("\"error\":\"unsupported_grant_type\"");
		assertThat(duplicated.statusCode()).isEqualTo(400);
		assertThat(duplicated.body()).contains("\"error\":\"invalid_request\"");
	}

	@Test
	void lookupsWhenValuesContainNulBytesThenRefusedWithoutDatabaseError() throws Exception {
		RegisteredClient client = save(TestRegisteredClients.serviceClient());
		String basic = TestRegisteredClients.basicAuthorization(client);

		HttpResponse<String> refresh = send(HttpRequest.newBuilder(endpoint("/oauth2/token"))
			.header("Content-Type", FORM)
			.header("Authorization", basic)
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&refresh_token=a%00b"))
			.build());
		HttpResponse<String> introspect = send(HttpRequest.newBuilder(endpoint("/oauth2/introspect"))
			.header("Content-Type", FORM)
			.header("Authorization", basic)
			.POST(HttpRequest.BodyPublishers.ofString("token=a%00b"))
			.build());
		HttpResponse<String> revoke = send(HttpRequest.newBuilder(endpoint("/oauth2/revoke"))
			.header("Content-Type", FORM)
			.header("Authorization", basic)
			.POST(HttpRequest.BodyPublishers.ofString("token=" + "z".repeat(20_000)))
			.build());
		HttpResponse<String> login = new Browser().signIn(ISSUER, "nul\u0000user", "whatever");

		assertThat(refresh.statusCode()).isEqualTo(400);
		assertThat(refresh.body()).contains("\"error\":\"invalid_grant\"");
		assertThat(introspect.statusCode()).isEqualTo(200);
		assertThat(introspect.body()).contains("\"active\":false");
		assertThat(revoke.statusCode()).isEqualTo(200);
		assertThat(Browser.location(login, ISSUER)).isEqualTo(ISSUER + "/login?error");
	}

	private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private static Arguments get(String path) {
		return Arguments.of("GET", path, List.of("Accept", "text/html"), null);
	}

	private static Arguments withHeader(String path, String name, String value) {
		return Arguments.of("GET", path, List.of(name, value), null);
	}

	private static Arguments post(String path, String authorization, String body) {
		List<String> headers = new ArrayList<>(List.of("Content-Type", FORM));
		if (authorization != null) {
			headers.addAll(List.of("Authorization", authorization));
		}
		return Arguments.of("POST", path, headers, body);
	}

	private static String abbreviate(String path) {
		return (path.length() > 120) ? path.substring(0, 120) + "…" : path;
	}

}
