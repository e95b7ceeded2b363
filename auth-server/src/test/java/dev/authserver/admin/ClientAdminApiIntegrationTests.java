package dev.authserver.admin;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import dev.authserver.Browser;
import dev.authserver.IntegrationTestSupport;
import dev.authserver.OidcTestClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client registration API end to end: a client created through it runs a full code flow, a rotated secret
 * overlaps with the previous one for the grace period the admin chose, and the secret appears only once.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClientAdminApiIntegrationTests extends IntegrationTestSupport {

	static final String WEB_CLIENT = """
			{"client_name": "Shop", "redirect_uris": ["https://shop.example.com/callback"],
			 "grant_types": ["authorization_code", "refresh_token"], "token_endpoint_auth_method": "client_secret_basic",
			 "scopes": ["openid", "profile", "email"]}
			""";

	static final String MACHINE_CLIENT = """
			{"client_name": "Batch job", "grant_types": ["client_credentials"],
			 "token_endpoint_auth_method": "client_secret_basic", "scopes": []}
			""";

	@Autowired
	JdbcTemplate jdbc;

	AdminApi api;

	@BeforeEach
	void admin() {
		this.api = AdminApi.withAdminClient(ISSUER, this.clients);
	}

	@Test
	void whenAdminCreatesClientThenItRunsAFullCodeFlow() throws Exception {
		HttpResponse<String> created = this.api.post("/api/admin/clients", WEB_CLIENT);

		assertThat(created.statusCode()).isEqualTo(201);
		assertThat(created.headers().firstValue("Cache-Control")).hasValue("no-store");
		JsonNode body = AdminApi.json(created);
		String clientId = body.get("client").get("client_id").asString();
		String secret = body.get("client_secret").asString();
		assertThat(secret).hasSizeGreaterThanOrEqualTo(43);
		assertThat(body.get("client").get("require_pkce").asBoolean()).isTrue();

		RegisteredClient client = this.clients.findByClientId(clientId);
		OidcTestClient rp = new OidcTestClient(ISSUER, client, secret);
		var user = newUser();
		OidcTestClient.Authorized authorized = rp.authorize(new Browser(), "https://shop.example.com/callback",
				"openid profile email", user);
		OIDCTokens tokens = OidcTestClient.success(rp.exchange(authorized.code(), authorized.request()))
			.getOIDCTokens();
		assertThat(rp.validate(tokens.getIDToken(), authorized.request().nonce()).getSubject().getValue())
			.isEqualTo(user.subject());
	}

	@Test
	void whenSecretRotatedWithGracePeriodThenBothWorkThenOnlyTheNewOne(CapturedOutput output) throws Exception {
		JsonNode created = AdminApi.json(this.api.post("/api/admin/clients", MACHINE_CLIENT));
		String clientId = created.get("client").get("client_id").asString();
		String oldSecret = created.get("client_secret").asString();
		RegisteredClient client = this.clients.findByClientId(clientId);
		assertThat(clientCredentials(client, oldSecret).indicatesSuccess()).isTrue();

		HttpResponse<String> rotated = this.api.post("/api/admin/clients/" + clientId + "/secret",
				"{\"grace_period_seconds\": 3}");

		assertThat(rotated.statusCode()).isEqualTo(200);
		String newSecret = AdminApi.json(rotated).get("client_secret").asString();
		assertThat(newSecret).isNotEqualTo(oldSecret);
		assertThat(AdminApi.json(rotated).get("previous_secret_valid_until").isNull()).isFalse();
		assertThat(clientCredentials(client, newSecret).indicatesSuccess()).isTrue();
		assertThat(clientCredentials(client, oldSecret).indicatesSuccess()).isTrue();
		assertThat(clientCredentials(client, "not-the-secret").indicatesSuccess()).isFalse();

		Thread.sleep(3500);

		assertThat(clientCredentials(client, newSecret).indicatesSuccess()).isTrue();
		assertThat(OidcTestClient.error(clientCredentials(client, oldSecret)).getCode()).isEqualTo("invalid_client");

		// Without a grace period the previous secret stops at once.
		String third = AdminApi.json(this.api.post("/api/admin/clients/" + clientId + "/secret", null))
			.get("client_secret")
			.asString();
		assertThat(clientCredentials(client, newSecret).indicatesSuccess()).isFalse();
		assertThat(clientCredentials(client, third).indicatesSuccess()).isTrue();

		assertSecretsNowhere(clientId, output, List.of(oldSecret, newSecret, third));
	}

	@Test
	void whenClientIsReadListedUpdatedDisabledEnabledAndDeletedThenAnswersNeverShowItsSecret(CapturedOutput output) {
		JsonNode created = AdminApi.json(this.api.post("/api/admin/clients", WEB_CLIENT));
		String clientId = created.get("client").get("client_id").asString();
		String secret = created.get("client_secret").asString();
		List<HttpResponse<String>> answers = new java.util.ArrayList<>();

		HttpResponse<String> read = this.api.get("/api/admin/clients/" + clientId);
		answers.add(read);
		assertThat(read.statusCode()).isEqualTo(200);
		assertThat(AdminApi.json(read).get("client_name").asString()).isEqualTo("Shop");
		assertThat(AdminApi.json(read).has("client_secret")).isFalse();

		HttpResponse<String> list = this.api.get("/api/admin/clients?q=" + clientId + "&size=5");
		answers.add(list);
		assertThat(AdminApi.json(list).get("total").asLong()).isEqualTo(1);
		assertThat(AdminApi.json(list).get("items").get(0).get("client_id").asString()).isEqualTo(clientId);

		HttpResponse<String> updated = this.api.put("/api/admin/clients/" + clientId,
				WEB_CLIENT.replace("\"Shop\"", "\"Shop 2\""));
		answers.add(updated);
		assertThat(updated.statusCode()).isEqualTo(200);
		assertThat(AdminApi.json(updated).get("client_name").asString()).isEqualTo("Shop 2");
		RegisteredClient stored = this.clients.findByClientId(clientId);
		assertThat(stored.getClientSecret()).isEqualTo(secret);

		HttpResponse<String> disabled = this.api.post("/api/admin/clients/" + clientId + "/disable", null);
		answers.add(disabled);
		assertThat(AdminApi.json(disabled).get("enabled").asBoolean()).isFalse();
		assertThat(this.clients.findByClientId(clientId)).isNull();
		HttpResponse<String> enabled = this.api.post("/api/admin/clients/" + clientId + "/enable", null);
		answers.add(enabled);
		assertThat(AdminApi.json(enabled).get("enabled").asBoolean()).isTrue();
		assertThat(this.clients.findByClientId(clientId)).isNotNull();

		assertThat(this.api.delete("/api/admin/clients/" + clientId).statusCode()).isEqualTo(204);
		assertThat(this.clients.findByClientId(clientId)).isNull();
		assertThat(this.api.get("/api/admin/clients/" + clientId).statusCode()).isEqualTo(404);
		assertThat(this.api.delete("/api/admin/clients/" + clientId).statusCode()).isEqualTo(404);

		answers.forEach((answer) -> assertThat(answer.body()).doesNotContain(secret));
		List<String> types = this.jdbc.queryForList(
				"SELECT type FROM audit_event WHERE client_id = ? ORDER BY occurred_at", String.class, clientId);
		assertThat(types).contains("client.created", "client.updated", "client.disabled", "client.enabled",
				"client.deleted");
		assertSecretsNowhere(clientId, output, List.of(secret));
	}

	@Test
	void whenAuditIsFilteredByClientThenOnlyItsEventsComeBackWithActorAndAddress() {
		String clientId = AdminApi.json(this.api.post("/api/admin/clients", MACHINE_CLIENT))
			.get("client")
			.get("client_id")
			.asString();

		HttpResponse<String> audit = this.api.get("/api/admin/audit?client_id=" + clientId + "&type=client.created");

		assertThat(audit.statusCode()).isEqualTo(200);
		JsonNode items = AdminApi.json(audit).get("items");
		assertThat(items.size()).isEqualTo(1);
		assertThat(items.get(0).get("actor").asString()).startsWith("client:service-");
		assertThat(items.get(0).get("remoteAddress").asString()).isNotBlank();
		assertThat(this.api.get("/api/admin/audit?from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z&client_id="
				+ clientId)
			.body()).contains("\"total\":0");
		assertThat(this.api.get("/api/admin/audit?from=yesterday").statusCode()).isEqualTo(400);
	}

	@Test
	void whenSomethingTriesToRewriteTheAuditLogThenPostgresqlRefuses() {
		this.api.post("/api/admin/clients", MACHINE_CLIENT);
		assertThatThrownBy(() -> this.jdbc.update("UPDATE audit_event SET detail = 'rewritten'"))
			.hasMessageContaining("append-only");
		assertThatThrownBy(() -> this.jdbc.update("DELETE FROM audit_event")).hasMessageContaining("append-only");
	}

	private void assertSecretsNowhere(String clientId, CapturedOutput output, List<String> secrets) {
		List<Map<String, Object>> audit = this.jdbc.queryForList("SELECT * FROM audit_event WHERE client_id = ?",
				clientId);
		assertThat(audit).isNotEmpty();
		for (String secret : secrets) {
			assertThat(output.getAll()).doesNotContain(secret);
			assertThat(audit.toString()).doesNotContain(secret);
			assertThat(this.jdbc.queryForList("SELECT client_secret FROM oauth2_registered_client", String.class))
				.noneMatch((stored) -> stored != null && stored.contains(secret));
		}
	}

	private static TokenResponse clientCredentials(RegisteredClient client, String secret) {
		return new OidcTestClient(ISSUER, client, secret).token(new ClientCredentialsGrant(), null);
	}

}
