package dev.authserver.admin;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.authserver.Browser;
import dev.authserver.IntegrationTestSupport;
import dev.authserver.OidcTestClient;
import dev.authserver.TestRegisteredClients;
import dev.authserver.TestUserAccounts;
import dev.authserver.users.UserRoles;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every admin route, walked from the application's own request mappings (not a sample), refuses callers that are
 * not admins: no token, a token without the admin scope, a user's token, a signed-in user without the admin role,
 * a token signed by a foreign key, and a token with another issuer.
 */
class AdminApiAccessIntegrationTests extends IntegrationTestSupport {

	@Autowired
	@Qualifier("requestMappingHandlerMapping")
	RequestMappingHandlerMapping mappings;

	@Autowired
	JwtEncoder ourEncoder;

	@Autowired
	UserRoles roles;

	List<Route> routes;

	record Route(String method, String path) {
	}

	@BeforeEach
	void walkRoutes() {
		Set<String> found = new TreeSet<>();
		for (RequestMappingInfo info : this.mappings.getHandlerMethods().keySet()) {
			for (String pattern : info.getPatternValues()) {
				if (!pattern.startsWith("/api/admin")) {
					continue;
				}
				String path = pattern.replaceAll("\\{[^}]+}", "some-id");
				Set<org.springframework.web.bind.annotation.RequestMethod> methods = info.getMethodsCondition()
					.getMethods();
				methods.forEach((method) -> found.add(method.name() + " " + path));
			}
		}
		found.add("GET /api/admin/openapi.json");
		this.routes = found.stream().map((route) -> new Route(route.split(" ")[0], route.split(" ")[1])).toList();
		// The routes the issue asks for, so a mapping that silently disappears fails here.
		assertThat(found).contains("POST /api/admin/clients", "GET /api/admin/clients",
				"GET /api/admin/clients/some-id", "PUT /api/admin/clients/some-id",
				"DELETE /api/admin/clients/some-id", "POST /api/admin/clients/some-id/disable",
				"POST /api/admin/clients/some-id/enable", "POST /api/admin/clients/some-id/secret",
				"GET /api/admin/audit", "POST /api/admin/registration-tokens");
	}

	@Test
	void whenNoTokenThenEveryRouteAnswers401ProblemDetail() {
		for (Route route : this.routes) {
			HttpResponse<String> answer = new AdminApi(ISSUER, null).send(route.method(), route.path(), "{}");
			assertThat(answer.statusCode()).as(route.toString()).isEqualTo(401);
			assertThat(answer.headers().firstValue("Content-Type")).as(route.toString())
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
			assertThat(answer.headers().firstValue("WWW-Authenticate")).as(route.toString()).isPresent();
		}
	}

	@Test
	void whenTokenLacksAdminScopeThenEveryRouteAnswers403() {
		RegisteredClient service = save(TestRegisteredClients.serviceClient());
		AdminApi api = new AdminApi(ISSUER, AdminApi.token(ISSUER, service, "api.read"));
		for (Route route : this.routes) {
			assertThat(api.send(route.method(), route.path(), "{}").statusCode()).as(route.toString()).isEqualTo(403);
		}
	}

	@Test
	void whenUsersAccessTokenEvenOfAnAdminThenEveryRouteAnswers403() {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		TestUserAccounts.Created user = newUser();
		this.roles.grant(user.account().id(), UserRoles.ADMIN, null);
		OidcTestClient rp = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
		OidcTestClient.Authorized authorized = rp.authorize(new Browser(), TestRegisteredClients.REDIRECT_URI,
				"openid profile", user);
		String token = OidcTestClient.success(rp.exchange(authorized.code(), authorized.request()))
			.getOIDCTokens()
			.getAccessToken()
			.getValue();
		AdminApi api = new AdminApi(ISSUER, token);
		for (Route route : this.routes) {
			assertThat(api.send(route.method(), route.path(), "{}").statusCode()).as(route.toString()).isEqualTo(403);
		}
	}

	@Test
	void whenSignedInUserIsNotAnAdminThenEveryRouteAnswers403() {
		TestUserAccounts.Created user = newUser();
		Browser browser = new Browser();
		browser.signIn(ISSUER, user.username(), user.password());
		String csrf = Browser.csrfToken(Jsoup.parse(browser.get(ISSUER + "/").body()));
		for (Route route : this.routes) {
			HttpResponse<String> answer = browser.send(HttpRequest.newBuilder(URI.create(ISSUER + route.path()))
				.header("Accept", "application/json")
				.header("Content-Type", "application/json")
				.header("X-CSRF-TOKEN", csrf)
				.method(route.method(), HttpRequest.BodyPublishers.ofString("{}")));
			assertThat(answer.statusCode()).as(route.toString()).isEqualTo(403);
		}
	}

	@Test
	void whenTokenIsSignedByAForeignKeyOrNamesAnotherIssuerThenEveryRouteAnswers401() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		var foreignKeys = generator.generateKeyPair();
		// The kid of our signing key, so only the signature tells the foreign token apart.
		String ourToken = AdminApi.withAdminClient(ISSUER, this.clients).token();
		String ourKid = SignedJWT.parse(ourToken).getHeader().getKeyID();
		SignedJWT foreign = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(ourKid).build(),
				new JWTClaimsSet.Builder().issuer(ISSUER)
					.subject("intruder")
					.claim("scope", List.of("admin"))
					.issueTime(new Date())
					.expirationTime(Date.from(Instant.now().plusSeconds(300)))
					.build());
		foreign.sign(new RSASSASigner((RSAPrivateKey) foreignKeys.getPrivate()));
		String otherIssuer = this.ourEncoder
			.encode(JwtEncoderParameters.from(JwtClaimsSet.builder()
				.issuer("https://other-issuer.example")
				.subject("intruder")
				.claim("scope", List.of("admin"))
				.issuedAt(Instant.now())
				.expiresAt(Instant.now().plusSeconds(300))
				.build()))
			.getTokenValue();
		List<String> tokens = new ArrayList<>(List.of(foreign.serialize(), otherIssuer, "not-a-jwt"));
		assertThat(foreignKeys.getPublic()).isInstanceOf(RSAPublicKey.class);
		for (String token : tokens) {
			AdminApi api = new AdminApi(ISSUER, token);
			for (Route route : this.routes) {
				assertThat(api.send(route.method(), route.path(), "{}").statusCode()).as(route.toString())
					.isEqualTo(401);
			}
		}
	}

	@Test
	void whenAdminReadsTheOpenApiDocumentThenTheClientRegistrationSchemaListsExactlyTheAcceptedFields() {
		HttpResponse<String> answer = AdminApi.withAdminClient(ISSUER, this.clients).get("/api/admin/openapi.json");
		tools.jackson.databind.JsonNode schema = AdminApi.json(answer)
			.get("components")
			.get("schemas")
			.get("ClientRegistration")
			.get("properties");
		Set<String> documented = new TreeSet<>(schema.propertyNames());
		assertThat(documented).isEqualTo(new TreeSet<>(ClientRegistrationReader.ALLOWED));
		tools.jackson.databind.JsonNode client = AdminApi.json(answer)
			.get("components")
			.get("schemas")
			.get("Client")
			.get("properties");
		assertThat(client.propertyNames()).contains("request_object_signing_alg", "require_signed_request_object",
				"id_token_userinfo_claims");
	}

	@Test
	void whenAdminReadsTheOpenApiDocumentThenItListsExactlyTheMappedRoutes() {
		HttpResponse<String> answer = AdminApi.withAdminClient(ISSUER, this.clients).get("/api/admin/openapi.json");
		assertThat(answer.statusCode()).isEqualTo(200);
		tools.jackson.databind.JsonNode paths = AdminApi.json(answer).get("paths");
		Set<String> documented = new TreeSet<>();
		for (String path : paths.propertyNames()) {
			for (String method : paths.get(path).propertyNames()) {
				if (!method.equals("parameters")) {
					documented.add(method.toUpperCase(java.util.Locale.ROOT) + " "
							+ path.replaceAll("\\{[^}]+}", "some-id"));
				}
			}
		}
		Set<String> mapped = new TreeSet<>();
		this.routes.forEach((route) -> mapped.add(route.method() + " " + route.path()));
		mapped.remove("GET /api/admin/openapi.json");
		assertThat(documented).isEqualTo(mapped);
	}

	@Test
	void whenAdminTokenOrAdminSessionThenTheApiAnswers() {
		assertThat(AdminApi.withAdminClient(ISSUER, this.clients).get("/api/admin/clients").statusCode())
			.isEqualTo(200);
		TestUserAccounts.Created admin = newUser();
		this.roles.grant(admin.account().id(), UserRoles.ADMIN, null);
		Browser browser = new Browser();
		browser.signIn(ISSUER, admin.username(), admin.password());
		HttpResponse<String> list = browser
			.send(HttpRequest.newBuilder(URI.create(ISSUER + "/api/admin/clients")).header("Accept", "application/json"));
		assertThat(list.statusCode()).isEqualTo(200);
		// A session-authenticated change needs the CSRF token; a bearer one does not.
		HttpRequest.Builder create = HttpRequest.newBuilder(URI.create(ISSUER + "/api/admin/clients"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(ClientAdminApiIntegrationTests.MACHINE_CLIENT));
		assertThat(browser.send(create).statusCode()).isEqualTo(403);
		String csrf = Browser.csrfToken(Jsoup.parse(browser.get(ISSUER + "/").body()));
		HttpResponse<String> created = browser.send(HttpRequest.newBuilder(URI.create(ISSUER + "/api/admin/clients"))
			.header("Content-Type", "application/json")
			.header("X-CSRF-TOKEN", csrf)
			.POST(HttpRequest.BodyPublishers.ofString(ClientAdminApiIntegrationTests.MACHINE_CLIENT)));
		assertThat(created.statusCode()).isEqualTo(201);
		assertThat(AdminApi.json(created).get("client_secret").asString()).isNotBlank();
	}

}
