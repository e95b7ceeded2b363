package dev.authserver;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 6749 §5.2 at the endpoints where a client authenticates: {@code invalid_client} is a 401 with a JSON body, and
 * with a {@code WWW-Authenticate} challenge matching HTTP Basic when the client used it.
 */
class ClientAuthenticationErrorIntegrationTests extends IntegrationTestSupport {

	private static final List<Endpoint> ENDPOINTS = List.of(new Endpoint("/oauth2/token", "grant_type=client_credentials"),
			new Endpoint("/oauth2/introspect", "token=some-token"), new Endpoint("/oauth2/revoke", "token=some-token"));

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void whenClientUsesHttpBasicWithAWrongSecretThenA401WithABasicChallengeAndAJsonError() throws Exception {
		RegisteredClient client = save(TestRegisteredClients.serviceClient());
		String basic = Base64.getEncoder()
			.encodeToString((client.getClientId() + ":wrong-secret").getBytes(StandardCharsets.UTF_8));
		for (Endpoint endpoint : ENDPOINTS) {
			HttpResponse<String> response = post(endpoint, "Basic " + basic);

			assertThat(response.statusCode()).as(endpoint.path()).isEqualTo(401);
			assertThat(response.headers().firstValue("WWW-Authenticate")).as(endpoint.path())
				.hasValueSatisfying((challenge) -> assertThat(challenge).startsWith("Basic realm="));
			assertThat(error(response)).as(endpoint.path()).isEqualTo("invalid_client");
		}
	}

	@Test
	void whenRequestCarriesNoClientAuthenticationThenA401WithAJsonInvalidClient() throws Exception {
		for (Endpoint endpoint : ENDPOINTS) {
			HttpResponse<String> response = post(endpoint, null);

			assertThat(response.statusCode()).as(endpoint.path()).isEqualTo(401);
			assertThat(response.headers().firstValue("Content-Type")).as(endpoint.path())
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/json"));
			assertThat(error(response)).as(endpoint.path()).isEqualTo("invalid_client");
		}
	}

	private HttpResponse<String> post(Endpoint endpoint, String authorization) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ISSUER + endpoint.path()))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(endpoint.body()));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String error(HttpResponse<String> response) throws Exception {
		return JSONObjectUtils.getString(JSONObjectUtils.parse(response.body()), "error");
	}

	private record Endpoint(String path, String body) {
	}

}
