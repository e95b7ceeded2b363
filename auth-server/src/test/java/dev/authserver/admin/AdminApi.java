package dev.authserver.admin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import dev.authserver.OidcTestClient;
import dev.authserver.TestRegisteredClients;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * Calls the admin API over real HTTP with a bearer token, the way an automation script would.
 */
final class AdminApi {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private final String issuer;

	private final @Nullable String token;

	private final HttpClient http = HttpClient.newBuilder()
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	AdminApi(String issuer, @Nullable String token) {
		this.issuer = issuer;
		this.token = token;
	}

	@Nullable String token() {
		return this.token;
	}

	/** Registers a machine client for the admin scope (as an admin would) and gets a token with it. */
	static AdminApi withAdminClient(String issuer, RegisteredClientRepository clients) {
		RegisteredClient client = TestRegisteredClients.serviceClient().scopes((scopes) -> {
			scopes.clear();
			scopes.add("admin");
		}).build();
		clients.save(client);
		return new AdminApi(issuer, token(issuer, client, "admin"));
	}

	static String token(String issuer, RegisteredClient client, String scope) {
		return OidcTestClient
			.success(new OidcTestClient(issuer, client, TestRegisteredClients.secretOf(client))
				.token(new ClientCredentialsGrant(), new Scope(scope)))
			.getTokens()
			.getAccessToken()
			.getValue();
	}

	HttpResponse<String> get(String path) {
		return send(request(path).GET());
	}

	HttpResponse<String> post(String path, @Nullable String json) {
		return send(request(path).header("Content-Type", "application/json")
			.POST((json != null) ? HttpRequest.BodyPublishers.ofString(json) : HttpRequest.BodyPublishers.noBody()));
	}

	HttpResponse<String> put(String path, String json) {
		return send(request(path).header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(json)));
	}

	HttpResponse<String> delete(String path) {
		return send(request(path).DELETE());
	}

	HttpResponse<String> send(String method, String path, @Nullable String json) {
		HttpRequest.BodyPublisher body = (json != null) ? HttpRequest.BodyPublishers.ofString(json)
				: HttpRequest.BodyPublishers.noBody();
		return send(request(path).header("Content-Type", "application/json").method(method, body));
	}

	static JsonNode json(HttpResponse<String> response) {
		return JSON.readTree(response.body());
	}

	private HttpRequest.Builder request(String path) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(this.issuer + path))
			.header("Accept", "application/json")
			.timeout(Duration.ofSeconds(30));
		if (this.token != null) {
			builder.header("Authorization", "Bearer " + this.token);
		}
		return builder;
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
