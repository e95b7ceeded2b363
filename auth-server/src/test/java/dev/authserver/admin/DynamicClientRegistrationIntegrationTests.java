package dev.authserver.admin;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.client.ClientDeleteRequest;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationErrorResponse;
import com.nimbusds.oauth2.sdk.client.ClientRegistrationResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientInformation;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientInformationResponse;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientMetadata;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientRegistrationRequest;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientUpdateRequest;
import com.nimbusds.openid.connect.sdk.rp.OIDCClientRegistrationResponseParser;
import dev.authserver.AuthServerApplication;
import dev.authserver.Browser;
import dev.authserver.IntegrationTestSupport;
import dev.authserver.OidcTestClient;
import dev.authserver.TestUserAccounts;
import dev.authserver.users.UserAccounts;
import dev.authserver.users.UserRoles;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OpenID Connect Dynamic Client Registration, checked with Nimbus's registration client: off by default; when on,
 * a client registers with a one-time initial access token an admin issued, under the same validation as the admin
 * API, and then runs a code flow.
 */
class DynamicClientRegistrationIntegrationTests extends IntegrationTestSupport {

	static final int DCR_PORT = freePort();

	static final String DCR_ISSUER = "http://localhost:" + DCR_PORT;

	static ConfigurableApplicationContext dcrServer;

	@BeforeAll
	static void startServerWithDynamicRegistration() {
		dcrServer = new SpringApplicationBuilder(AuthServerApplication.class).profiles("test")
			.run("--server.port=" + DCR_PORT, "--authserver.issuer=" + DCR_ISSUER,
					"--authserver.admin.dynamic-registration.enabled=true");
	}

	@AfterAll
	static void stopServer() {
		if (dcrServer != null) {
			dcrServer.close();
		}
	}

	@Test
	void whenDynamicRegistrationIsOffThenNoEndpointAndNoTokens() throws Exception {
		AdminApi api = AdminApi.withAdminClient(ISSUER, this.clients);
		assertThat(api.post("/api/admin/registration-tokens", null).statusCode()).isEqualTo(404);
		int status = new OIDCClientRegistrationRequest(URI.create(ISSUER + "/connect/register"), webClient(),
				new BearerAccessToken("anything"))
			.toHTTPRequest()
			.send()
			.getStatusCode();
		assertThat(status).isIn(401, 403, 404);
	}

	@Test
	void whenAdminIssuesInitialAccessTokenThenAClientRegistersOnceAndRunsACodeFlow() throws Exception {
		AdminApi api = AdminApi.withAdminClient(DCR_ISSUER, dcrServer.getBean(RegisteredClientRepository.class));
		String token = AdminApi.json(api.post("/api/admin/registration-tokens", null))
			.get("initial_access_token")
			.asString();

		ClientRegistrationResponse response = register(webClient(), token);

		assertThat(response.indicatesSuccess()).as(() -> ((ClientRegistrationErrorResponse) response).getErrorObject()
			.toJSONObject()
			.toString()).isTrue();
		OIDCClientInformation info = ((OIDCClientInformationResponse) response).getOIDCClientInformation();
		assertThat(info.getSecret()).isNotNull();
		// Used once: the same token registers nothing more.
		assertThat(register(webClient(), token).indicatesSuccess()).isFalse();

		RegisteredClient client = dcrServer.getBean(RegisteredClientRepository.class)
			.findByClientId(info.getID().getValue());
		assertThat(client.getClientSettings().isRequireProofKey()).isTrue();
		OidcTestClient rp = new OidcTestClient(DCR_ISSUER, client, info.getSecret().getValue());
		TestUserAccounts.Created user = TestUserAccounts.userAccount().create(dcrServer.getBean(UserAccounts.class));
		OidcTestClient.Authorized authorized = rp.authorize(new Browser(), "https://dcr.example.com/callback",
				"openid profile", user);
		assertThat(OidcTestClient.success(rp.exchange(authorized.code(), authorized.request())).getOIDCTokens()
			.getIDToken()).isNotNull();
	}

	@Test
	void whenAdminIssuesATokenInTheConsoleThenItIsShownOnceAndRegistersAClient() throws Exception {
		TestUserAccounts.Created admin = TestUserAccounts.userAccount().create(dcrServer.getBean(UserAccounts.class));
		dcrServer.getBean(UserRoles.class).grant(admin.account().id(), UserRoles.ADMIN, null);
		Browser browser = new Browser();
		browser.signIn(DCR_ISSUER, admin.username(), admin.password());
		Document clients = Jsoup.parse(browser.get(DCR_ISSUER + "/admin/clients").body());
		assertThat(clients.getElementById("issue-registration-token")).isNotNull();

		var issued = browser.postForm(DCR_ISSUER + "/admin/registration-token",
				List.of(Map.entry("_csrf", Browser.csrfToken(clients))));

		assertThat(issued.statusCode()).isEqualTo(200);
		assertThat(issued.headers().firstValue("Cache-Control")).hasValue("no-store");
		String token = Jsoup.parse(issued.body()).getElementById("registration-token").text();
		assertThat(register(webClient(), token).indicatesSuccess()).isTrue();
	}

	@Test
	void whenDynamicRegistrationBreaksARuleThenItIsRefusedLikeTheAdminApi() throws Exception {
		AdminApi api = AdminApi.withAdminClient(DCR_ISSUER, dcrServer.getBean(RegisteredClientRepository.class));

		OIDCClientMetadata plainHttp = webClient();
		plainHttp.setRedirectionURI(URI.create("http://dcr.example.com/callback"));
		assertThat(error(register(plainHttp, newToken(api)))).isEqualTo("invalid_redirect_uri");

		OIDCClientMetadata wildcard = webClient();
		wildcard.setRedirectionURI(URI.create("https://*.example.com/callback"));
		assertThat(error(register(wildcard, newToken(api)))).isEqualTo("invalid_redirect_uri");

		OIDCClientMetadata admin = webClient();
		admin.setScope(new Scope("openid", "admin"));
		assertThat(error(register(admin, newToken(api)))).isEqualTo("invalid_client_metadata");

		OIDCClientMetadata unknownScope = webClient();
		unknownScope.setScope(new Scope("openid", "payments"));
		assertThat(error(register(unknownScope, newToken(api)))).isEqualTo("invalid_client_metadata");

		assertThat(register(webClient(), "not-a-token").indicatesSuccess()).isFalse();
	}

	@Test
	void whenAClientRegistersForSignedRequestObjectsThenOnlyRequestObjectsSignedSoAreAccepted() throws Exception {
		AdminApi api = AdminApi.withAdminClient(DCR_ISSUER, dcrServer.getBean(RegisteredClientRepository.class));
		OIDCClientMetadata unknownAlgorithm = webClient();
		unknownAlgorithm.setRequestObjectJWSAlg(JWSAlgorithm.HS512);
		assertThat(error(register(unknownAlgorithm, newToken(api)))).isEqualTo("invalid_client_metadata");
		OIDCClientMetadata metadata = webClient();
		metadata.setRequestObjectJWSAlg(JWSAlgorithm.HS256);
		metadata.setCustomField("require_signed_request_object", true);

		OIDCClientInformation info = ((OIDCClientInformationResponse) register(metadata, newToken(api)))
			.getOIDCClientInformation();

		RegisteredClient client = dcrServer.getBean(RegisteredClientRepository.class)
			.findByClientId(info.getID().getValue());
		OidcTestClient rp = new OidcTestClient(DCR_ISSUER, client, info.getSecret().getValue());
		// RFC 9101 §10.5: no plain request.
		String plain = Browser.location(new Browser().get(rp.authorizationRequest("https://dcr.example.com/callback",
				"openid").uri()), DCR_ISSUER);
		assertThat(plain).startsWith("https://dcr.example.com/callback?error=invalid_request");
		// OIDC Dynamic Client Registration §2: only the registered algorithm.
		String none = Browser.location(new Browser().get(requestObjectUri(client, new PlainJWT(requestObjectClaims(
				client, new State())))), DCR_ISSUER);
		assertThat(none).startsWith("https://dcr.example.com/callback?error=invalid_request_object");
		State state = new State();
		SignedJWT signed = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), requestObjectClaims(client, state));
		signed.sign(new MACSigner(info.getSecret().getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
		TestUserAccounts.Created user = TestUserAccounts.userAccount().create(dcrServer.getBean(UserAccounts.class));
		String callback = new Browser().authorize(DCR_ISSUER, requestObjectUri(client, signed), user.username(),
				user.password());
		assertThat(callback).startsWith("https://dcr.example.com/callback?code=")
			.contains("state=" + state.getValue());
	}

	@Test
	void whenAClientSecretClientRegistersInlineJwksForRs256RequestObjectsThenItsSignedRequestObjectsAreAccepted()
			throws Exception {
		AdminApi api = AdminApi.withAdminClient(DCR_ISSUER, dcrServer.getBean(RegisteredClientRepository.class));
		RSAKey key = new RSAKeyGenerator(2048).keyID("request-objects").generate();
		OIDCClientMetadata withoutKeys = webClient();
		withoutKeys.setRequestObjectJWSAlg(JWSAlgorithm.RS256);
		assertThat(error(register(withoutKeys, newToken(api)))).isEqualTo("invalid_client_metadata");
		OIDCClientMetadata metadata = webClient();
		metadata.setRequestObjectJWSAlg(JWSAlgorithm.RS256);
		metadata.setJWKSet(new JWKSet(key.toPublicJWK()));

		ClientRegistrationResponse response = register(metadata, newToken(api));

		assertThat(response.indicatesSuccess()).as(() -> response.toHTTPResponse().getBody()).isTrue();
		OIDCClientInformation info = ((OIDCClientInformationResponse) response).getOIDCClientInformation();
		assertThat(info.getMetadata().getTokenEndpointAuthMethod().getValue()).isEqualTo("client_secret_basic");
		RegisteredClient client = dcrServer.getBean(RegisteredClientRepository.class)
			.findByClientId(info.getID().getValue());
		State state = new State();
		SignedJWT signed = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
				requestObjectClaims(client, state));
		signed.sign(new RSASSASigner(key));
		TestUserAccounts.Created user = TestUserAccounts.userAccount().create(dcrServer.getBean(UserAccounts.class));
		String callback = new Browser().authorize(DCR_ISSUER, requestObjectUri(client, signed), user.username(),
				user.password());
		assertThat(callback).startsWith("https://dcr.example.com/callback?code=")
			.contains("state=" + state.getValue());
	}

	@Test
	void whenAPrivateKeyJwtClientRegistersInlineJwksWithoutJwksUriThenItAuthenticatesWithThatKey() throws Exception {
		AdminApi api = AdminApi.withAdminClient(DCR_ISSUER, dcrServer.getBean(RegisteredClientRepository.class));
		RSAKey key = new RSAKeyGenerator(2048).keyID("assertions").generate();
		OIDCClientMetadata metadata = webClient();
		metadata.setGrantTypes(java.util.Set.of(GrantType.AUTHORIZATION_CODE, GrantType.CLIENT_CREDENTIALS));
		metadata.setTokenEndpointAuthMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
		metadata.setJWKSet(new JWKSet(key.toPublicJWK()));

		ClientRegistrationResponse response = register(metadata, newToken(api));

		assertThat(response.indicatesSuccess()).as(() -> response.toHTTPResponse().getBody()).isTrue();
		OIDCClientInformation info = ((OIDCClientInformationResponse) response).getOIDCClientInformation();
		assertThat(response.toHTTPResponse().getBody()).doesNotContain("jwks_uri").doesNotContain("inline-jwks");
		RegisteredClient client = dcrServer.getBean(RegisteredClientRepository.class)
			.findByClientId(info.getID().getValue());
		assertThat(client.getClientSettings().getJwkSetUrl()).isNull();
		assertThat((String) client.getClientSettings().getSetting("settings.client.jwks")).contains(key.getKeyID());
		URI tokenEndpoint = URI.create(DCR_ISSUER + "/oauth2/token");
		RSAKey otherKey = new RSAKeyGenerator(2048).keyID(key.getKeyID()).generate();

		HTTPResponse signedWithTheKey = new TokenRequest(tokenEndpoint, new PrivateKeyJWT(info.getID(), tokenEndpoint,
				JWSAlgorithm.RS256, key.toRSAPrivateKey(), key.getKeyID(), null), new ClientCredentialsGrant(), null)
			.toHTTPRequest()
			.send();
		HTTPResponse signedWithAnother = new TokenRequest(tokenEndpoint, new PrivateKeyJWT(info.getID(), tokenEndpoint,
				JWSAlgorithm.RS256, otherKey.toRSAPrivateKey(), otherKey.getKeyID(), null),
				new ClientCredentialsGrant(), null)
			.toHTTPRequest()
			.send();

		assertThat(TokenResponse.parse(signedWithTheKey).indicatesSuccess()).as(signedWithTheKey.getBody()).isTrue();
		assertThat(signedWithAnother.getStatusCode()).isEqualTo(401);
		assertThat(TokenErrorResponse.parse(signedWithAnother).getErrorObject().getCode()).isEqualTo("invalid_client");
	}

	@Test
	void whenAPrivateKeyJwtClientRegistersNoKeysOrBothThenInvalidClientMetadata() throws Exception {
		AdminApi api = AdminApi.withAdminClient(DCR_ISSUER, dcrServer.getBean(RegisteredClientRepository.class));
		RSAKey key = new RSAKeyGenerator(2048).generate();
		OIDCClientMetadata noKeys = webClient();
		noKeys.setName("No keys");
		noKeys.setTokenEndpointAuthMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
		OIDCClientMetadata both = webClient();
		both.setName("Both");
		both.setTokenEndpointAuthMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
		both.setJWKSet(new JWKSet(key.toPublicJWK()));
		both.setJWKSetURI(URI.create("https://keys.example.com/jwks"));
		OIDCClientMetadata privateKey = webClient();
		privateKey.setName("Private key");
		privateKey.setTokenEndpointAuthMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
		privateKey.setCustomField("jwks", new JWKSet(key).toJSONObject(false));

		assertThat(error(register(noKeys, newToken(api)))).isEqualTo("invalid_client_metadata");
		assertThat(error(register(both, newToken(api)))).isEqualTo("invalid_client_metadata");
		assertThat(error(register(privateKey, newToken(api)))).isEqualTo("invalid_client_metadata");
	}

	@Test
	void whenAClientUpdatesItsRegistrationThenItIsReplacedAuditedAndItsSecretIsNotReturned() throws Exception {
		AdminApi api = AdminApi.withAdminClient(DCR_ISSUER, dcrServer.getBean(RegisteredClientRepository.class));
		OIDCClientInformation info = ((OIDCClientInformationResponse) register(webClient(), newToken(api)))
			.getOIDCClientInformation();
		OIDCClientMetadata changed = webClient();
		changed.setName("Renamed");
		changed.setRedirectionURIs(java.util.Set.of(URI.create("https://dcr.example.com/other-callback")));

		HTTPResponse response = new OIDCClientUpdateRequest(info.getRegistrationURI(), info.getID(),
				info.getRegistrationAccessToken(), changed, info.getSecret())
			.toHTTPRequest()
			.send();

		assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
		assertThat(response.getBody()).contains("Renamed")
			.doesNotContain("\"client_secret\"")
			.doesNotContain(info.getSecret().getValue());
		RegisteredClient stored = dcrServer.getBean(RegisteredClientRepository.class)
			.findByClientId(info.getID().getValue());
		assertThat(stored.getClientName()).isEqualTo("Renamed");
		assertThat(stored.getRedirectUris()).containsExactly("https://dcr.example.com/other-callback");
		assertThat(stored.getClientSecret()).isEqualTo(info.getSecret().getValue());
		assertThat(dcrServer.getBean(org.springframework.jdbc.core.JdbcTemplate.class)
			.queryForList("SELECT type FROM audit_event WHERE client_id = ? AND actor = 'dynamic-registration'",
					String.class, info.getID().getValue())).contains("client.updated");
	}

	@Test
	void whenAnUpdateBreaksARuleOrIsNotTheClientsThenInvalidClientMetadataOrInvalidToken() throws Exception {
		AdminApi api = AdminApi.withAdminClient(DCR_ISSUER, dcrServer.getBean(RegisteredClientRepository.class));
		OIDCClientInformation info = ((OIDCClientInformationResponse) register(webClient(), newToken(api)))
			.getOIDCClientInformation();
		OIDCClientInformation other = ((OIDCClientInformationResponse) register(webClient(), newToken(api)))
			.getOIDCClientInformation();
		OIDCClientMetadata badRedirect = webClient();
		badRedirect.setRedirectionURIs(java.util.Set.of(URI.create("http://dcr.example.com/callback")));
		OIDCClientMetadata adminScope = webClient();
		adminScope.setScope(new Scope("openid", "admin"));

		HTTPResponse wrongSecret = update(info, info.getID(), webClient(), new Secret("not-the-secret"));
		HTTPResponse otherClientId = update(info, other.getID(), webClient(), null);
		HTTPResponse redirect = update(info, info.getID(), badRedirect, null);
		HTTPResponse admin = update(info, info.getID(), adminScope, null);
		HTTPResponse othersToken = new OIDCClientUpdateRequest(info.getRegistrationURI(), info.getID(),
				other.getRegistrationAccessToken(), webClient(), null)
			.toHTTPRequest()
			.send();
		HTTPResponse noToken = send(HttpRequest.newBuilder(info.getRegistrationURI())
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString("{\"client_id\":\"" + info.getID().getValue() + "\"}")));

		assertError(wrongSecret, 400, "invalid_client_metadata");
		assertError(otherClientId, 400, "invalid_client_metadata");
		assertError(redirect, 400, "invalid_redirect_uri");
		assertError(admin, 400, "invalid_client_metadata");
		assertError(othersToken, 401, "invalid_token");
		assertThat(noToken.getStatusCode()).isEqualTo(401);
		assertThat(dcrServer.getBean(RegisteredClientRepository.class).findByClientId(info.getID().getValue())
			.getRedirectUris()).containsExactly("https://dcr.example.com/callback");
	}

	@Test
	void whenAClientDeletesItsRegistrationThenItIsGoneAuditedAndItsTokenStopsWorking() throws Exception {
		AdminApi api = AdminApi.withAdminClient(DCR_ISSUER, dcrServer.getBean(RegisteredClientRepository.class));
		OIDCClientInformation info = ((OIDCClientInformationResponse) register(webClient(), newToken(api)))
			.getOIDCClientInformation();
		OIDCClientInformation other = ((OIDCClientInformationResponse) register(webClient(), newToken(api)))
			.getOIDCClientInformation();

		HTTPResponse othersToken = new ClientDeleteRequest(info.getRegistrationURI(),
				other.getRegistrationAccessToken())
			.toHTTPRequest()
			.send();
		assertError(othersToken, 401, "invalid_token");
		assertThat(dcrServer.getBean(RegisteredClientRepository.class).findByClientId(info.getID().getValue()))
			.isNotNull();

		HTTPResponse deleted = new ClientDeleteRequest(info.getRegistrationURI(), info.getRegistrationAccessToken())
			.toHTTPRequest()
			.send();

		assertThat(deleted.getStatusCode()).as(deleted.getBody()).isEqualTo(204);
		assertThat(dcrServer.getBean(RegisteredClientRepository.class).findByClientId(info.getID().getValue()))
			.isNull();
		assertThat(readConfiguration(info).statusCode()).isEqualTo(401);
		assertError(new ClientDeleteRequest(info.getRegistrationURI(), info.getRegistrationAccessToken())
			.toHTTPRequest()
			.send(), 401, "invalid_token");
		assertThat(dcrServer.getBean(org.springframework.jdbc.core.JdbcTemplate.class)
			.queryForList("SELECT type FROM audit_event WHERE client_id = ? AND actor = 'dynamic-registration'",
					String.class, info.getID().getValue())).contains("client.deleted");
	}

	@Test
	void whenAPairwiseClientUpdatesItsRegistrationThenItCannotChangeItsSubjectTypeOrSector() throws Exception {
		AdminApi api = AdminApi.withAdminClient(DCR_ISSUER, dcrServer.getBean(RegisteredClientRepository.class));
		OIDCClientInformation info = ((OIDCClientInformationResponse) register(
				pairwise("https://rp.example/callback"), newToken(api)))
			.getOIDCClientInformation();

		// With the grants it holds, a client moved to another sector (or made public) would learn the sub values
		// that sector sees for its users (OIDC Core §8.1).
		HTTPResponse otherSector = update(info, info.getID(), pairwise("https://victim.example/callback"), null);
		OIDCClientMetadata madePublic = webClient();
		madePublic.setRedirectionURIs(java.util.Set.of(URI.create("https://rp.example/callback")));
		HTTPResponse toPublic = update(info, info.getID(), madePublic, null);
		HTTPResponse sameSector = update(info, info.getID(), pairwise("https://rp.example/other-callback"), null);

		assertError(otherSector, 400, "invalid_client_metadata");
		assertError(toPublic, 400, "invalid_client_metadata");
		assertThat(sameSector.getStatusCode()).as(sameSector.getBody()).isEqualTo(200);
		RegisteredClient stored = dcrServer.getBean(RegisteredClientRepository.class)
			.findByClientId(info.getID().getValue());
		assertThat(dev.authserver.clients.SubjectTypes.pairwiseSector(stored)).isEqualTo("rp.example");
	}

	private static HTTPResponse update(OIDCClientInformation info, ClientID clientId, OIDCClientMetadata metadata,
			Secret secret) throws Exception {
		return new OIDCClientUpdateRequest(info.getRegistrationURI(), clientId, info.getRegistrationAccessToken(),
				metadata, secret)
			.toHTTPRequest()
			.send();
	}

	private static HTTPResponse send(HttpRequest.Builder request) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(request.build(), HttpResponse.BodyHandlers.ofString());
		HTTPResponse http = new HTTPResponse(response.statusCode());
		http.setContent(response.body());
		return http;
	}

	private static void assertError(HTTPResponse response, int status, String error) throws Exception {
		assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
		assertThat(response.getBodyAsJSONObject().get("error")).as(response.getBody()).isEqualTo(error);
	}

	private static JWTClaimsSet requestObjectClaims(RegisteredClient client, State state) {
		return new JWTClaimsSet.Builder().claim("response_type", "code")
			.claim("client_id", client.getClientId())
			.claim("redirect_uri", "https://dcr.example.com/callback")
			.claim("scope", "openid")
			.claim("state", state.getValue())
			.claim("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
			.claim("code_challenge_method", "S256")
			.build();
	}

	private static String requestObjectUri(RegisteredClient client, JWT requestObject) {
		return new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid"),
				new ClientID(client.getClientId()), null)
			.requestObject(requestObject)
			.endpointURI(URI.create(DCR_ISSUER + "/oauth2/authorize"))
			.build()
			.toURI()
			.toString();
	}

	@Test
	void whenAClientReadsItsConfigurationThenItsSecretIsNeverShownEvenAfterARotation() throws Exception {
		AdminApi api = AdminApi.withAdminClient(DCR_ISSUER, dcrServer.getBean(RegisteredClientRepository.class));
		ClientRegistrationResponse response = register(webClient(), newToken(api));
		OIDCClientInformation info = ((OIDCClientInformationResponse) response).getOIDCClientInformation();
		assertThat(info.getSecret()).isNotNull();

		HttpResponse<String> read = readConfiguration(info);

		assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
		assertThat(read.body()).contains(info.getID().getValue())
			.doesNotContain("\"client_secret\"")
			.doesNotContain(info.getSecret().getValue());

		String rotated = AdminApi.json(api.post("/api/admin/clients/" + info.getID().getValue() + "/secret", null))
			.get("client_secret")
			.asString();
		HttpResponse<String> afterRotation = readConfiguration(info);

		assertThat(afterRotation.statusCode()).isEqualTo(200);
		assertThat(afterRotation.body()).doesNotContain("\"client_secret\"").doesNotContain(rotated);
	}

	@Test
	void whenAnAdminIssuesAnInitialAccessTokenThenItNamesNoAccountAndIsNoAccessToken() throws Exception {
		TestUserAccounts.Created admin = TestUserAccounts.userAccount().create(dcrServer.getBean(UserAccounts.class));
		dcrServer.getBean(UserRoles.class).grant(admin.account().id(), UserRoles.ADMIN, null);
		Browser browser = new Browser();
		browser.signIn(DCR_ISSUER, admin.username(), admin.password());
		Document clients = Jsoup.parse(browser.get(DCR_ISSUER + "/admin/clients").body());
		String token = Jsoup.parse(browser.postForm(DCR_ISSUER + "/admin/registration-token",
				List.of(Map.entry("_csrf", Browser.csrfToken(clients))))
			.body()).getElementById("registration-token").text();

		SignedJWT jwt = SignedJWT.parse(token);
		assertThat(jwt.getJWTClaimsSet().getSubject()).isNotEqualTo(admin.account().id().toString())
			.isNotEqualTo(admin.username())
			.startsWith("initial-access-token-");
		assertThat(jwt.getHeader().getType().getType()).isEqualTo("initial-access-token+jwt");
		assertThat(withBearer("/api/admin/clients", token).statusCode()).isEqualTo(401);
		assertThat(withBearer("/userinfo", token).statusCode()).isIn(401, 403);
		// ... and it still registers a client.
		assertThat(register(webClient(), token).indicatesSuccess()).isTrue();
	}

	@Test
	void whenARegistrationNamesNoScopeThenItGetsTheDefaultScopes() throws Exception {
		AdminApi api = AdminApi.withAdminClient(DCR_ISSUER, dcrServer.getBean(RegisteredClientRepository.class));
		OIDCClientMetadata noScope = webClient();
		noScope.setScope(null);

		ClientRegistrationResponse response = register(noScope, newToken(api));

		assertThat(response.indicatesSuccess()).isTrue();
		String clientId = ((OIDCClientInformationResponse) response).getOIDCClientInformation().getID().getValue();
		assertThat(dcrServer.getBean(RegisteredClientRepository.class).findByClientId(clientId).getScopes())
			.containsExactlyInAnyOrder("openid", "profile", "email");
	}

	@Test
	void whenARegistrationAsksForUnsupportedMetadataThenInvalidClientMetadataNamesIt() throws Exception {
		AdminApi api = AdminApi.withAdminClient(DCR_ISSUER, dcrServer.getBean(RegisteredClientRepository.class));
		OIDCClientMetadata encrypted = webClient();
		encrypted.setIDTokenJWEAlg(com.nimbusds.jose.JWEAlgorithm.RSA_OAEP_256);
		encrypted.setIDTokenJWEEnc(com.nimbusds.jose.EncryptionMethod.A128GCM);
		// OIDC Core §8.1: pairwise without a sector_identifier_uri needs redirect URIs on one host
		OIDCClientMetadata pairwise = webClient();
		pairwise.setSubjectType(com.nimbusds.openid.connect.sdk.SubjectType.PAIRWISE);
		pairwise.setRedirectionURIs(java.util.Set.of(URI.create("https://dcr.example.com/callback"),
				URI.create("https://other.example.com/callback")));

		ClientRegistrationResponse refusedEncryption = register(encrypted, newToken(api));
		ClientRegistrationResponse refusedPairwise = register(pairwise, newToken(api));

		assertThat(error(refusedEncryption)).isEqualTo("invalid_client_metadata");
		assertThat(((ClientRegistrationErrorResponse) refusedEncryption).getErrorObject().getDescription())
			.contains("id_token_encrypted_response_alg");
		assertThat(error(refusedPairwise)).isEqualTo("invalid_client_metadata");
		assertThat(((ClientRegistrationErrorResponse) refusedPairwise).getErrorObject().getDescription())
			.contains("sector_identifier_uri");
	}

	@Test
	void whenPairwiseClientsRegisterThenEachSectorHasItsOwnSub() throws Exception {
		AdminApi api = AdminApi.withAdminClient(DCR_ISSUER, dcrServer.getBean(RegisteredClientRepository.class));
		com.github.tomakehurst.wiremock.WireMockServer sectorHost = new com.github.tomakehurst.wiremock.WireMockServer(
				com.github.tomakehurst.wiremock.core.WireMockConfiguration.options()
					.bindAddress("127.0.0.1")
					.dynamicPort());
		sectorHost.start();
		try {
			sectorHost.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get("/all.json")
				.willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson(
						"[\"https://dcr.example.com/callback\", \"https://other.example.com/callback\"]")));
			sectorHost.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get("/one.json")
				.willReturn(com.github.tomakehurst.wiremock.client.WireMock
					.okJson("[\"https://dcr.example.com/callback\"]")));
			String sectorUri = "http://127.0.0.1:" + sectorHost.port();

			OIDCClientMetadata missing = pairwise("https://dcr.example.com/callback",
					"https://other.example.com/callback");
			// Nimbus refuses http here: the loopback http stand-in (tests only) goes in as a plain field
			missing.setCustomField("sector_identifier_uri", sectorUri + "/one.json");
			ClientRegistrationResponse refused = register(missing, newToken(api));
			assertThat(error(refused)).isEqualTo("invalid_client_metadata");
			assertThat(((ClientRegistrationErrorResponse) refused).getErrorObject().getDescription())
				.contains("sector_identifier_uri");

			OIDCClientMetadata withSector = pairwise("https://dcr.example.com/callback",
					"https://other.example.com/callback");
			withSector.setCustomField("sector_identifier_uri", sectorUri + "/all.json");
			TestUserAccounts.Created user = TestUserAccounts.userAccount()
				.create(dcrServer.getBean(UserAccounts.class));
			String sectorSub = subjectOf(registered(withSector, api), "https://other.example.com/callback", user);
			String first = subjectOf(registered(pairwise("https://dcr.example.com/callback"), api),
					"https://dcr.example.com/callback", user);
			String second = subjectOf(registered(pairwise("https://dcr.example.com/callback"), api),
					"https://dcr.example.com/callback", user);
			String publicSub = subjectOf(registered(webClient(), api), "https://dcr.example.com/callback", user);

			assertThat(first).isEqualTo(second).isNotEqualTo(sectorSub).isNotEqualTo(user.subject());
			assertThat(sectorSub).isNotEqualTo(user.subject());
			assertThat(publicSub).isEqualTo(user.subject());
		}
		finally {
			sectorHost.stop();
		}
	}

	private static OIDCClientMetadata pairwise(String... redirectUris) {
		OIDCClientMetadata metadata = webClient();
		metadata.setSubjectType(com.nimbusds.openid.connect.sdk.SubjectType.PAIRWISE);
		metadata.setRedirectionURIs(java.util.Arrays.stream(redirectUris).map(URI::create)
			.collect(java.util.stream.Collectors.toSet()));
		return metadata;
	}

	private OidcTestClient registered(OIDCClientMetadata metadata, AdminApi api) throws Exception {
		ClientRegistrationResponse response = register(metadata, newToken(api));
		assertThat(response.indicatesSuccess()).as(() -> ((ClientRegistrationErrorResponse) response).getErrorObject()
			.toJSONObject()
			.toString()).isTrue();
		OIDCClientInformation info = ((OIDCClientInformationResponse) response).getOIDCClientInformation();
		// OIDC Dynamic Client Registration §3.2: the answer says which subject type was registered
		assertThat(info.getOIDCMetadata().getSubjectType()).isEqualTo((metadata.getSubjectType() != null)
				? metadata.getSubjectType() : com.nimbusds.openid.connect.sdk.SubjectType.PUBLIC);
		RegisteredClient client = dcrServer.getBean(RegisteredClientRepository.class)
			.findByClientId(info.getID().getValue());
		return new OidcTestClient(DCR_ISSUER, client, info.getSecret().getValue());
	}

	// The ID token's sub (Nimbus validates the ID token), checked to be UserInfo's as well
	private static String subjectOf(OidcTestClient rp, String redirectUri, TestUserAccounts.Created user)
			throws Exception {
		OidcTestClient.Authorized authorized = rp.authorize(new Browser(), redirectUri, "openid profile", user);
		com.nimbusds.openid.connect.sdk.token.OIDCTokens tokens = OidcTestClient
			.success(rp.exchange(authorized.code(), authorized.request()))
			.getOIDCTokens();
		String subject = rp.validate(tokens.getIDToken(), authorized.request().nonce()).getSubject().getValue();
		com.nimbusds.openid.connect.sdk.UserInfoResponse userInfo = com.nimbusds.openid.connect.sdk.UserInfoResponse
			.parse(new com.nimbusds.openid.connect.sdk.UserInfoRequest(URI.create(DCR_ISSUER + "/userinfo"),
					(BearerAccessToken) tokens.getAccessToken())
				.toHTTPRequest()
				.send());
		assertThat(userInfo.toSuccessResponse().getUserInfo().getSubject().getValue()).isEqualTo(subject);
		return subject;
	}

	private static HttpResponse<String> readConfiguration(OIDCClientInformation info) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(info.getRegistrationURI())
				.header("Authorization", "Bearer " + info.getRegistrationAccessToken().getValue())
				.header("Accept", "application/json")
				.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpResponse<String> withBearer(String path, String token) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(DCR_ISSUER + path))
				.header("Authorization", "Bearer " + token)
				.header("Accept", "application/json")
				.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String newToken(AdminApi api) {
		return AdminApi.json(api.post("/api/admin/registration-tokens", null)).get("initial_access_token").asString();
	}

	private static OIDCClientMetadata webClient() {
		OIDCClientMetadata metadata = new OIDCClientMetadata();
		metadata.setName("Dynamically registered");
		metadata.setRedirectionURIs(java.util.Set.of(URI.create("https://dcr.example.com/callback")));
		metadata.setGrantTypes(java.util.Set.of(GrantType.AUTHORIZATION_CODE));
		metadata.setScope(new Scope("openid", "profile"));
		return metadata;
	}

	private static ClientRegistrationResponse register(OIDCClientMetadata metadata, String token) throws Exception {
		return OIDCClientRegistrationResponseParser.parse(new OIDCClientRegistrationRequest(
				URI.create(DCR_ISSUER + "/connect/register"), metadata, new BearerAccessToken(token))
			.toHTTPRequest()
			.send());
	}

	private static String error(ClientRegistrationResponse response) {
		assertThat(response.indicatesSuccess()).isFalse();
		return ((ClientRegistrationErrorResponse) response).getErrorObject().getCode();
	}

}
