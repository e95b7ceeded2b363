package dev.authserver.admin;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.authserver.AuthServerApplication;
import dev.authserver.Browser;
import dev.authserver.IntegrationTestSupport;
import dev.authserver.TestUserAccounts;
import dev.authserver.users.UserAccounts;
import dev.authserver.users.UserRoles;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code authserver.require-pkce}: on (the default), every client needs PKCE and {@code require_pkce=false} is
 * refused; off, each confidential client's {@code require_pkce} is the admin's choice (default true), and public
 * clients still always need PKCE.
 */
class OptionalPkceIntegrationTests extends IntegrationTestSupport {

	static final int OFF_PORT = freePort();

	static final String OFF_ISSUER = "http://localhost:" + OFF_PORT;

	static ConfigurableApplicationContext pkceOff;

	@Autowired
	UserRoles roles;

	@BeforeAll
	static void startServerWithPkceOff() {
		pkceOff = new SpringApplicationBuilder(AuthServerApplication.class).profiles("test")
			.run("--server.port=" + OFF_PORT, "--authserver.issuer=" + OFF_ISSUER, "--authserver.require-pkce=false");
	}

	@AfterAll
	static void stopServer() {
		if (pkceOff != null) {
			pkceOff.close();
		}
	}

	@Test
	void whenRequirePkceIsOffThenEachConfidentialClientIsTheAdminsChoice() {
		RegisteredClientRepository clients = pkceOff.getBean(RegisteredClientRepository.class);
		AdminApi api = AdminApi.withAdminClient(OFF_ISSUER, clients);

		HttpResponse<String> withoutPkce = api.post("/api/admin/clients", json(webClient("client_secret_basic", false)));
		HttpResponse<String> byDefault = api.post("/api/admin/clients", json(webClient("client_secret_basic", null)));
		HttpResponse<String> publicWithout = api.post("/api/admin/clients", json(webClient("none", false)));

		assertThat(withoutPkce.statusCode()).as(withoutPkce.body()).isEqualTo(201);
		String clientId = AdminApi.json(withoutPkce).get("client").get("client_id").asString();
		assertThat(AdminApi.json(withoutPkce).get("client").get("require_pkce").asBoolean()).isFalse();
		assertThat(clients.findByClientId(clientId).getClientSettings().isRequireProofKey()).isFalse();
		assertThat(AdminApi.json(byDefault).get("client").get("require_pkce").asBoolean()).isTrue();
		assertThat(publicWithout.statusCode()).isEqualTo(400);
		assertThat(publicWithout.body()).contains("require_pkce");
		// ... and back on, by an update.
		HttpResponse<String> updated = api.put("/api/admin/clients/" + clientId,
				json(webClient("client_secret_basic", true)));
		assertThat(AdminApi.json(updated).get("require_pkce").asBoolean()).isTrue();
	}

	@Test
	void whenRequirePkceIsOnThenRequirePkceFalseIsRefused() {
		AdminApi api = AdminApi.withAdminClient(ISSUER, this.clients);

		HttpResponse<String> refused = api.post("/api/admin/clients", json(webClient("client_secret_basic", false)));
		HttpResponse<String> accepted = api.post("/api/admin/clients", json(webClient("client_secret_basic", true)));

		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.body()).contains("require_pkce");
		assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(201);
		assertThat(AdminApi.json(accepted).get("client").get("require_pkce").asBoolean()).isTrue();
	}

	@Test
	void whenRequirePkceIsOffThenTheConsoleOffersTheCheckboxAndAnUncheckedBoxMeansNoPkce() throws Exception {
		TestUserAccounts.Created admin = TestUserAccounts.userAccount().create(pkceOff.getBean(UserAccounts.class));
		pkceOff.getBean(UserRoles.class).grant(admin.account().id(), UserRoles.ADMIN, null);
		Browser browser = new Browser();
		browser.signIn(OFF_ISSUER, admin.username(), admin.password());
		Document form = Jsoup.parse(browser.get(OFF_ISSUER + "/admin/clients/new").body());
		assertThat(form.getElementById("requirePkce")).isNotNull();
		String name = "Console PKCE " + java.util.UUID.randomUUID();

		HttpResponse<String> created = browser.postForm(OFF_ISSUER + "/admin/clients",
				List.of(Map.entry("_csrf", Browser.csrfToken(form)), Map.entry("clientName", name),
						Map.entry("redirectUris", "https://pkce.example.com/callback"),
						Map.entry("grantTypes", "authorization_code"),
						Map.entry("tokenEndpointAuthMethod", "client_secret_basic"), Map.entry("scopes", "openid"),
						Map.entry("requireConsent", "true"), Map.entry("pkceChoice", "true")));

		assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
		AdminApi api = AdminApi.withAdminClient(OFF_ISSUER, pkceOff.getBean(RegisteredClientRepository.class));
		var found = AdminApi.json(api.get("/api/admin/clients?q=" + name.replace(" ", "%20"))).get("items").get(0);
		assertThat(found.get("require_pkce").asBoolean()).isFalse();
	}

	@Test
	void whenRequirePkceIsOnThenTheConsoleHasNoCheckbox() throws Exception {
		TestUserAccounts.Created admin = newUser();
		this.roles.grant(admin.account().id(), UserRoles.ADMIN, null);
		Browser browser = new Browser();
		browser.signIn(ISSUER, admin.username(), admin.password());

		Document form = Jsoup.parse(browser.get(ISSUER + "/admin/clients/new").body());

		assertThat(form.getElementById("tokenEndpointAuthMethod")).isNotNull();
		assertThat(form.getElementById("requirePkce")).isNull();
	}

	private static Map<String, Object> webClient(String method, Boolean requirePkce) {
		Map<String, Object> body = new HashMap<>();
		body.put("client_name", "PKCE choice");
		body.put("redirect_uris", List.of("https://pkce.example.com/callback"));
		body.put("grant_types", List.of("authorization_code"));
		body.put("token_endpoint_auth_method", method);
		body.put("scopes", List.of("openid"));
		if (requirePkce != null) {
			body.put("require_pkce", requirePkce);
		}
		return body;
	}

	private static String json(Map<String, Object> body) {
		return AdminApi.JSON.writeValueAsString(body);
	}

}
