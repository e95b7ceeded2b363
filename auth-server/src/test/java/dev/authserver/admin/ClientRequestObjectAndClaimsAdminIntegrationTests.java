package dev.authserver.admin;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import dev.authserver.Browser;
import dev.authserver.CallbackParameters;
import dev.authserver.IntegrationTestSupport;
import dev.authserver.OidcTestClient;
import dev.authserver.TestUserAccounts;
import dev.authserver.clients.SubjectTypes;
import dev.authserver.users.UserRoles;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin API sets the per-client settings dynamic registration could already set: request objects
 * ({@code request_object_signing_alg}, {@code require_signed_request_object}) and {@code id_token_userinfo_claims};
 * they read back, and the server behaves by them.
 */
class ClientRequestObjectAndClaimsAdminIntegrationTests extends IntegrationTestSupport {

	private static final String REDIRECT_URI = "https://shop.example.com/callback";

	@Autowired
	UserRoles roles;

	AdminApi api;

	@BeforeEach
	void admin() {
		this.api = AdminApi.withAdminClient(ISSUER, this.clients);
	}

	private static String webClient(String extra) {
		return """
				{"client_name": "Shop", "redirect_uris": ["%s"], "grant_types": ["authorization_code"],
				 "token_endpoint_auth_method": "client_secret_basic", "scopes": ["openid", "profile", "email"]%s}
				""".formatted(REDIRECT_URI, extra);
	}

	@Test
	void whenAdminSetsTheFieldsThenTheyAreReadBackAndAnUpdateWithoutThemResetsThem() {
		HttpResponse<String> created = this.api.post("/api/admin/clients", webClient(
				", \"request_object_signing_alg\": \"ES256\", \"require_signed_request_object\": true, "
						+ "\"id_token_userinfo_claims\": true"));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		JsonNode client = AdminApi.json(created).get("client");
		String clientId = client.get("client_id").asString();
		assertFields(client, "ES256", true, true);

		assertFields(AdminApi.json(this.api.get("/api/admin/clients/" + clientId)), "ES256", true, true);

		HttpResponse<String> updated = this.api.put("/api/admin/clients/" + clientId,
				webClient(", \"request_object_signing_alg\": \"none\""));
		assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
		assertFields(AdminApi.json(this.api.get("/api/admin/clients/" + clientId)), "none", false, false);

		this.api.put("/api/admin/clients/" + clientId, webClient(""));
		assertFields(AdminApi.json(this.api.get("/api/admin/clients/" + clientId)), null, false, false);
	}

	@Test
	void whenAdminEditsAPairwiseClientThenItStaysPairwiseInItsSector() {
		HttpResponse<String> created = this.api.post("/api/admin/clients", webClient(""));
		String clientId = AdminApi.json(created).get("client").get("client_id").asString();
		RegisteredClient registered = this.clients.findByClientId(clientId);
		this.clients.save(RegisteredClient.from(registered)
			.clientSettings(ClientSettings.withSettings(registered.getClientSettings().getSettings())
				.setting(SubjectTypes.SUBJECT_TYPE_SETTING, SubjectTypes.PAIRWISE)
				.setting(SubjectTypes.SECTOR_SETTING, "shop.example.com")
				.build())
			.build());

		HttpResponse<String> updated = this.api.put("/api/admin/clients/" + clientId,
				webClient(", \"client_name\": \"Shop, renamed\"").replace("\"client_name\": \"Shop\", ", ""));

		assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
		RegisteredClient edited = this.clients.findByClientId(clientId);
		assertThat(edited.getClientName()).isEqualTo("Shop, renamed");
		// The sub values its users have must not change (OIDC Core §8.1).
		assertThat(SubjectTypes.pairwiseSector(edited)).isEqualTo("shop.example.com");
	}

	private static void assertFields(JsonNode client, String algorithm, boolean requireSigned, boolean idTokenClaims) {
		if (algorithm == null) {
			assertThat(client.has("request_object_signing_alg")).as(client.toString()).isFalse();
		}
		else {
			assertThat(client.get("request_object_signing_alg").asString()).isEqualTo(algorithm);
		}
		assertThat(client.get("require_signed_request_object").asBoolean()).isEqualTo(requireSigned);
		assertThat(client.get("id_token_userinfo_claims").asBoolean()).isEqualTo(idTokenClaims);
	}

	@Test
	void whenAdminRequiresSignedRequestObjectsThenAPlainRequestIsRefused() {
		Created strict = create(webClient(", \"require_signed_request_object\": true"));
		Created plain = create(webClient(""));

		OidcTestClient.Request refused = strict.rp().authorizationRequest(REDIRECT_URI, "openid");
		HttpResponse<String> answer = new Browser().get(refused.uri());
		String location = Browser.location(answer, ISSUER);
		assertThat(location).startsWith(REDIRECT_URI + "?");
		assertThat(CallbackParameters.parse(location).get("error")).as(location).isEqualTo("invalid_request");
		assertThat(CallbackParameters.parse(location).get("code")).isNull();

		// The same plain request from a client without the setting goes on to the sign-in.
		OidcTestClient.Request accepted = plain.rp().authorizationRequest(REDIRECT_URI, "openid");
		assertThat(Browser.location(new Browser().get(accepted.uri()), ISSUER)).isEqualTo(ISSUER + "/login");
	}

	@Test
	void whenAdminSetsIdTokenUserinfoClaimsThenTheIdTokenCarriesTheEmail() {
		Created withClaims = create(webClient(", \"id_token_userinfo_claims\": true"));
		Created without = create(webClient(""));
		TestUserAccounts.Created user = newUser();

		assertThat(idToken(withClaims, user).getStringClaim("email")).isEqualTo(user.account().email());
		assertThat(idToken(without, user).getStringClaim("email")).isNull();
	}

	@Test
	void whenRequestObjectFieldsBreakARuleThenProblemDetailNamesTheField() {
		Map<String, String> cases = Map.of(
				", \"request_object_signing_alg\": \"HS512\"", "request_object_signing_alg",
				", \"request_object_signing_alg\": \"RS384\"", "request_object_signing_alg",
				", \"request_object_signing_alg\": \"none\", \"require_signed_request_object\": true",
				"require_signed_request_object",
				", \"require_signed_request_object\": \"yes\"", "",
				", \"id_token_userinfo_claims\": \"maybe\"", "");
		cases.forEach((extra, field) -> {
			HttpResponse<String> answer = this.api.post("/api/admin/clients", webClient(extra));
			assertThat(answer.statusCode()).as(extra).isEqualTo(400);
			assertThat(answer.headers().firstValue("Content-Type")).as(extra)
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
			if (!field.isEmpty()) {
				List<String> fields = new ArrayList<>();
				AdminApi.json(answer).get("errors").forEach((error) -> fields.add(error.get("field").asString()));
				assertThat(fields).as(extra).contains(field);
			}
		});
		HttpResponse<String> publicHmac = this.api.post("/api/admin/clients", webClient(
				", \"request_object_signing_alg\": \"HS256\"").replace("client_secret_basic", "none"));
		assertThat(publicHmac.statusCode()).isEqualTo(400);
		assertThat(publicHmac.body()).contains("request_object_signing_alg");
		// none alone is allowed, as dynamic registration allows it
		assertThat(this.api.post("/api/admin/clients", webClient(", \"request_object_signing_alg\": \"none\""))
			.statusCode()).isEqualTo(201);
	}

	@Test
	void whenAdminUsesTheConsoleThenTheFieldsAreSetAndShownOnTheEditForm() {
		TestUserAccounts.Created admin = newUser();
		this.roles.grant(admin.account().id(), UserRoles.ADMIN, null);
		Browser browser = new Browser();
		browser.signIn(ISSUER, admin.username(), admin.password());
		Document form = Jsoup.parse(browser.get(ISSUER + "/admin/clients/new").body());
		String name = "Console request objects " + UUID.randomUUID();

		HttpResponse<String> created = browser.postForm(ISSUER + "/admin/clients",
				List.of(Map.entry("_csrf", Browser.csrfToken(form)), Map.entry("clientName", name),
						Map.entry("redirectUris", REDIRECT_URI), Map.entry("grantTypes", "authorization_code"),
						Map.entry("tokenEndpointAuthMethod", "client_secret_basic"), Map.entry("scopes", "openid"),
						Map.entry("requestObjectSigningAlg", "PS256"),
						Map.entry("requireSignedRequestObject", "true"), Map.entry("idTokenUserinfoClaims", "true")));

		assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
		JsonNode found = AdminApi.json(this.api.get("/api/admin/clients?q=" + name.replace(" ", "%20")))
			.get("items")
			.get(0);
		assertFields(found, "PS256", true, true);
		Document edit = Jsoup.parse(browser.get(ISSUER + "/admin/clients/" + found.get("client_id").asString()).body());
		assertThat(edit.select("#requestObjectSigningAlg option[selected]").attr("value")).isEqualTo("PS256");
		assertThat(edit.getElementById("requireSignedRequestObject").hasAttr("checked")).isTrue();
		assertThat(edit.getElementById("idTokenUserinfoClaims").hasAttr("checked")).isTrue();
	}

	private IDTokenClaimsSet idToken(Created client, TestUserAccounts.Created user) {
		OidcTestClient.Authorized authorized = client.rp().authorize(new Browser(), REDIRECT_URI,
				"openid profile email", user);
		return client.rp()
			.validate(OidcTestClient.success(client.rp().exchange(authorized.code(), authorized.request()))
				.getOIDCTokens()
				.getIDToken(), authorized.request().nonce());
	}

	private Created create(String json) {
		HttpResponse<String> created = this.api.post("/api/admin/clients", json);
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		JsonNode body = AdminApi.json(created);
		RegisteredClient client = this.clients.findByClientId(body.get("client").get("client_id").asString());
		return new Created(new OidcTestClient(ISSUER, client, body.get("client_secret").asString()));
	}

	private record Created(OidcTestClient rp) {
	}

}
