package dev.authserver.admin;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import dev.authserver.IntegrationTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin API refuses every registration that breaks a rule with a 400 ProblemDetail naming the field, and
 * answers SQL-ish, oversized and malformed input without a server error; nothing refused is stored.
 */
class ClientRegistrationValidationIntegrationTests extends IntegrationTestSupport {

	@Autowired
	JdbcTemplate jdbc;

	AdminApi api;

	@BeforeEach
	void admin() {
		this.api = AdminApi.withAdminClient(ISSUER, this.clients);
	}

	record Case(String why, String json, String field) {
	}

	static String web(String redirectUri) {
		return """
				{"client_name": "Web", "redirect_uris": ["%s"], "grant_types": ["authorization_code"],
				 "token_endpoint_auth_method": "client_secret_basic", "scopes": ["openid"]}
				""".formatted(redirectUri);
	}

	@Test
	void whenRegistrationBreaksARuleThenProblemDetailNamesTheField() {
		List<Case> cases = List.of(new Case("relative redirect", web("/callback"), "redirect_uris[0]"),
				new Case("fragment", web("https://app.example.com/cb#x"), "redirect_uris[0]"),
				new Case("wildcard", web("https://*.example.com/cb"), "redirect_uris[0]"),
				new Case("userinfo", web("https://admin:pw@app.example.com/cb"), "redirect_uris[0]"),
				new Case("plain http", web("http://app.example.com/cb"), "redirect_uris[0]"),
				new Case("oversized redirect", web("https://app.example.com/" + "a".repeat(3000)), "redirect_uris[0]"),
				new Case("implicit grant", web("https://app.example.com/cb").replace("\"authorization_code\"",
						"\"implicit\""), "grant_types"),
				new Case("password grant", web("https://app.example.com/cb").replace("\"authorization_code\"",
						"\"authorization_code\", \"password\""), "grant_types"),
				new Case("unknown auth method", web("https://app.example.com/cb").replace("client_secret_basic",
						"tls_client_auth"), "token_endpoint_auth_method"),
				new Case("unknown scope", web("https://app.example.com/cb").replace("[\"openid\"]",
						"[\"openid\", \"payments\"]"), "scopes"),
				new Case("admin scope on code flow", web("https://app.example.com/cb").replace("[\"openid\"]",
						"[\"openid\", \"admin\"]"), "scopes"),
				new Case("public client with client_credentials", """
						{"client_name": "SPA", "grant_types": ["client_credentials"],
						 "token_endpoint_auth_method": "none"}""", "grant_types"),
				new Case("public client with admin", """
						{"client_name": "SPA", "redirect_uris": ["https://spa.example.com/cb"],
						 "grant_types": ["authorization_code"], "token_endpoint_auth_method": "none",
						 "scopes": ["admin"]}""", "scopes"),
				new Case("oversized name", web("https://app.example.com/cb").replace("\"Web\"",
						"\"" + "n".repeat(5000) + "\""), "client_name"),
				new Case("too many redirect URIs", """
						{"client_name": "Web", "redirect_uris": %s, "grant_types": ["authorization_code"],
						 "token_endpoint_auth_method": "client_secret_basic"}""".formatted(manyUris(50)), "redirect_uris"),
				new Case("missing name", "{\"grant_types\": [\"client_credentials\"], "
						+ "\"token_endpoint_auth_method\": \"client_secret_basic\"}", "client_name"),
				new Case("SQL in the name", web("https://app.example.com/cb").replace("\"Web\"",
						"\"x'); DROP TABLE oauth2_registered_client; --\\u0000\""), "client_name"));
		for (Case c : cases) {
			HttpResponse<String> answer = this.api.post("/api/admin/clients", c.json());
			assertThat(answer.statusCode()).as(c.why()).isEqualTo(400);
			assertThat(answer.headers().firstValue("Content-Type")).as(c.why())
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
			JsonNode problem = AdminApi.json(answer);
			List<String> fields = new ArrayList<>();
			problem.get("errors").forEach((error) -> fields.add(error.get("field").asString()));
			assertThat(fields).as(c.why()).contains(c.field());
		}
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM oauth2_registered_client WHERE client_name LIKE ?",
				Long.class, "x')%")).isZero();
	}

	@Test
	void whenCallerSetsServerFieldsThenTheRequestIsRefusedAndNothingStored() {
		for (String field : List.of("\"client_id\": \"chosen\"", "\"client_secret\": \"chosen-secret\"",
				"\"id\": \"chosen\"", "\"client_id_issued_at\": \"2020-01-01T00:00:00Z\"")) {
			String json = "{" + field + ", \"client_name\": \"Sneaky\", \"grant_types\": [\"client_credentials\"], "
					+ "\"token_endpoint_auth_method\": \"client_secret_basic\"}";
			HttpResponse<String> answer = this.api.post("/api/admin/clients", json);
			assertThat(answer.statusCode()).as(field).isEqualTo(400);
			assertThat(answer.body()).as(field).doesNotContain("chosen-secret").doesNotContain("Exception");
		}
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM oauth2_registered_client WHERE client_id = ?",
				Long.class, "chosen")).isZero();
	}

	@Test
	void whenInputIsMalformedOrHostileThenNoServerError() {
		List<String> bodies = List.of("", "not json", "[]", "{\"client_name\": 42}", "{\"grant_types\": \"x\"}",
				"{\"client_name\": \"" + "x".repeat(200_000) + "\"}", "{{{{", "null",
				"{\"scopes\": [null], \"redirect_uris\": [null], \"grant_types\": [null]}");
		for (String body : bodies) {
			int status = this.api.post("/api/admin/clients", body).statusCode();
			assertThat(status).as(body.length() > 50 ? body.substring(0, 50) : body).isEqualTo(400);
		}
		List<String> paths = List.of("/api/admin/clients?q=%27%20OR%201=1%20--", "/api/admin/clients?q=%25%5F%21",
				"/api/admin/clients?q=" + "a".repeat(500), "/api/admin/clients?size=100000",
				"/api/admin/clients?page=-1", "/api/admin/clients?size=abc",
				"/api/admin/clients/%27%20OR%201=1%20--", "/api/admin/clients/" + "a".repeat(5000),
				"/api/admin/clients/x%00y", "/api/admin/audit?user=%27%20OR%201=1%20--",
				"/api/admin/audit?from=not-a-date", "/api/admin/audit?type=" + "t".repeat(500));
		for (String path : paths) {
			int status = this.api.get(path).statusCode();
			assertThat(status).as(path.length() > 80 ? path.substring(0, 80) : path).isBetween(200, 499);
		}
		assertThat(this.api.get("/api/admin/clients?q=%27%20OR%201=1%20--").body()).contains("\"total\":0");
		assertThat(this.api.post("/api/admin/clients/nope/secret", "{\"grace_period_seconds\": -5}").statusCode())
			.isEqualTo(400);
		assertThat(this.api.post("/api/admin/clients/nope/secret", "{\"grace_period_seconds\": 99999999999}")
			.statusCode()).isEqualTo(400);
		assertThat(this.api.put("/api/admin/clients/nope", web("https://app.example.com/cb")).statusCode())
			.isEqualTo(404);
		for (String rotation : List.of("{\"grace\": 3600}", "{\"grace_period_seconds\": \"soon\"}",
				"{\"grace_period_seconds\": 1.5}", "[]", "{\"grace_period_seconds\": 1e400}")) {
			assertThat(this.api.post("/api/admin/clients/nope/secret", rotation).statusCode()).as(rotation)
				.isEqualTo(400);
		}
	}

	private static String manyUris(int count) {
		List<String> uris = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			uris.add("\"https://app.example.com/cb" + i + "\"");
		}
		return "[" + String.join(",", uris) + "]";
	}

}
