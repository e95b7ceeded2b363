package dev.authserver;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.sun.net.httpserver.HttpServer;
import dev.authserver.clients.RequestObjectSettings;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request objects (OIDC Core 1.0 §6.1, RFC 9101) built and signed by the Nimbus SDK: verified with the client's
 * registered keys or secret, their parameters used in place of the ones sent beside them, and refused with
 * {@code invalid_request_object} when they cannot be trusted. {@code request_uri} is not supported.
 */
class RequestObjectIntegrationTests extends IntegrationTestSupport {

	private static final String REDIRECT_URI = TestRegisteredClients.REDIRECT_URI;

	private RSAKey rsaKey;

	private ECKey ecKey;

	private HttpServer clientJwks;

	@BeforeEach
	void publishClientKeys() throws Exception {
		this.rsaKey = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
		this.ecKey = new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
		byte[] jwks = new JWKSet(List.of(this.rsaKey.toPublicJWK(), this.ecKey.toPublicJWK())).toString()
			.getBytes(StandardCharsets.UTF_8);
		this.clientJwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.clientJwks.createContext("/jwks", (exchange) -> {
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, jwks.length);
			exchange.getResponseBody().write(jwks);
			exchange.close();
		});
		this.clientJwks.start();
	}

	@AfterEach
	void stopClientKeys() {
		this.clientJwks.stop(0);
	}

	@ParameterizedTest
	@ValueSource(strings = { "RS256", "PS256", "ES256", "HS256" })
	void whenRequestObjectIsSignedWithTheClientsKeyThenItsStateAndNonceReachTheRedirectAndTheIdToken(String alg)
			throws Exception {
		assertAccepted(client((settings) -> {
		}), JWSAlgorithm.parse(alg));
	}

	@Test
	void whenDiscoveryIsReadThenEveryAdvertisedRequestObjectAlgorithmWorksAndRequestUriIsRefused() throws Exception {
		OIDCProviderMetadata metadata = OIDCProviderMetadata
			.parse(new Browser().get(ISSUER + "/.well-known/openid-configuration").body());
		assertThat(metadata.supportsRequestParam()).isTrue();
		assertThat(metadata.supportsRequestURIParam()).isFalse();
		assertThat(metadata.getRequestObjectJWSAlgs()).extracting(JWSAlgorithm::getName)
			.containsExactlyInAnyOrder("RS256", "PS256", "ES256", "HS256", "none");
		for (JWSAlgorithm alg : metadata.getRequestObjectJWSAlgs()) {
			if (JWSAlgorithm.NONE.equals(alg)) {
				assertAccepted(client((settings) -> settings.setting(RequestObjectSettings.SIGNING_ALGORITHM, "none")),
						null);
			}
			else {
				assertAccepted(client((settings) -> settings.setting(RequestObjectSettings.SIGNING_ALGORITHM,
						alg.getName())), alg);
			}
		}
		// The same holds in the OAuth 2.0 authorization server metadata (RFC 8414).
		String oauthMetadata = new Browser().get(ISSUER + "/.well-known/oauth-authorization-server").body();
		assertThat(oauthMetadata).contains("\"request_parameter_supported\":true")
			.contains("\"request_uri_parameter_supported\":false");
		RegisteredClient client = client((settings) -> {
		});
		assertRedirectedError(new Browser().get(outer(client).toString() + "&request_uri="
				+ encode("https://client.example.com/request.jwt") + "&state=outer"), "request_uri_not_supported",
				"outer");
	}

	@Test
	void whenRequestObjectAndQueryBothHaveAParameterThenTheRequestObjectsValueIsUsed() throws Exception {
		RegisteredClient client = client((settings) -> {
		});
		Signed signed = sign(client, JWSAlgorithm.RS256, (claims) -> {
		});
		String uri = signed.uri() + "&state=from-the-query&nonce=from-the-query";

		assertFlow(client, uri, signed);
	}

	@Test
	void whenRequestObjectSaysPromptNoneAndNobodyIsSignedInThenLoginRequiredWithItsState() throws Exception {
		RegisteredClient client = client((settings) -> {
		});
		Signed signed = sign(client, JWSAlgorithm.RS256, (claims) -> claims.claim("prompt", "none"));

		// Every filter of the endpoint sees the request object's parameters, not only Spring's converter.
		assertRedirectedError(new Browser().get(signed.uri()), "login_required", signed.state().getValue());
	}

	@Test
	void whenTheClientsKeysAreInlineJwksThenItsSignedRequestObjectIsAccepted() throws Exception {
		String jwks = new JWKSet(List.of(this.rsaKey.toPublicJWK(), this.ecKey.toPublicJWK())).toString();
		RegisteredClient client = save(TestRegisteredClients.confidentialClient()
			.clientSettings(ClientSettings.builder()
				.requireProofKey(true)
				.requireAuthorizationConsent(false)
				.setting("settings.client.jwks", jwks)
				.build()));

		assertAccepted(client, JWSAlgorithm.RS256);
		assertAccepted(client, JWSAlgorithm.ES256);
	}

	@Test
	void whenTheClientsJwksUriIsAPrivateAddressThenInvalidRequestObject() throws Exception {
		RegisteredClient client = client((settings) -> settings.jwkSetUrl("https://10.255.255.1/jwks"));

		assertRedirectedError(new Browser().get(sign(client, JWSAlgorithm.RS256, (claims) -> {
		}).uri()), "invalid_request_object", null);
	}

	@Test
	void whenRequestObjectIsUnsignedAndTheClientDidNotRegisterNoneThenInvalidRequestObject() throws Exception {
		RegisteredClient client = client((settings) -> {
		});
		JWTClaimsSet claims = claims(client, new State("s1"), new Nonce(), new CodeVerifier(), (builder) -> {
		});

		assertRedirectedError(new Browser().get(request(client, new PlainJWT(claims)).toString()),
				"invalid_request_object", "s1");
	}

	@Test
	void whenRequestObjectIsSignedWrongThenInvalidRequestObject() throws Exception {
		RegisteredClient client = client((settings) -> {
		});
		RSAKey otherKey = new RSAKeyGenerator(2048).keyID(this.rsaKey.getKeyID()).generate();
		JWTClaimsSet claims = claims(client, new State("s1"), new Nonce(), new CodeVerifier(), (builder) -> {
		});
		SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(otherKey.getKeyID()).build(),
				claims);
		forged.sign(new RSASSASigner(otherKey));
		SignedJWT wrongSecret = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
		wrongSecret.sign(new MACSigner("another-secret-that-is-long-enough-for-hs256".getBytes(StandardCharsets.UTF_8)));

		assertRedirectedError(new Browser().get(request(client, forged).toString()), "invalid_request_object", "s1");
		assertRedirectedError(new Browser().get(request(client, wrongSecret).toString()), "invalid_request_object",
				"s1");
	}

	@Test
	void whenRequestObjectUsesAnotherAlgorithmThanTheClientRegisteredThenInvalidRequestObject() throws Exception {
		RegisteredClient client = client((settings) -> settings.setting(RequestObjectSettings.SIGNING_ALGORITHM,
				"ES256"));

		assertRedirectedError(new Browser().get(sign(client, JWSAlgorithm.RS256, (claims) -> {
		}).uri()), "invalid_request_object", null);
		assertAccepted(client, JWSAlgorithm.ES256);
	}

	@Test
	void whenRequestObjectClaimsDoNotFitTheRequestThenInvalidRequestObject() throws Exception {
		RegisteredClient client = client((settings) -> {
		});
		Date past = new Date(System.currentTimeMillis() - 600_000);
		List<Consumer<JWTClaimsSet.Builder>> wrongs = List.of((claims) -> claims.claim("client_id", "someone-else"),
				(claims) -> claims.issuer("someone-else"), (claims) -> claims.audience("https://other.example"),
				(claims) -> claims.expirationTime(past),
				(claims) -> claims.notBeforeTime(new Date(System.currentTimeMillis() + 600_000)),
				(claims) -> claims.claim("response_type", "token"));
		for (Consumer<JWTClaimsSet.Builder> wrong : wrongs) {
			assertRedirectedError(new Browser().get(sign(client, JWSAlgorithm.RS256, wrong).uri()),
					"invalid_request_object", null);
		}
	}

	@Test
	void whenRequestObjectIsBadAndTheRedirectUriIsNotRegisteredThenErrorPageAndNoRedirect() throws Exception {
		RegisteredClient client = client((settings) -> {
		});
		JWTClaimsSet claims = claims(client, new State(), new Nonce(), new CodeVerifier(),
				(builder) -> builder.claim("redirect_uri", "https://attacker.example/callback"));
		URI uri = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid"),
				new ClientID(client.getClientId()), null)
			.requestObject(new PlainJWT(claims))
			.endpointURI(endpoint("/oauth2/authorize"))
			.build()
			.toURI();

		HttpResponse<String> response = new Browser().get(uri.toString());

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Location")).isEmpty();
		assertThat(response.body()).contains("invalid_request_object");
	}

	@Test
	void whenClientRequiresSignedRequestObjectsThenAPlainRequestIsRefusedAndASignedOneAccepted() throws Exception {
		RegisteredClient client = client((settings) -> settings.setting(RequestObjectSettings.REQUIRE_SIGNED, true));
		OidcTestClient rp = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));

		assertRedirectedError(new Browser().get(rp.authorizationRequest(REDIRECT_URI, "openid").uri()),
				"invalid_request", null);
		assertAccepted(client, JWSAlgorithm.ES256);
	}

	@Test
	void whenClientRequiresSignedRequestObjectsThenParametersSentBesideTheObjectAreIgnored() throws Exception {
		RegisteredClient client = client((settings) -> settings.setting(RequestObjectSettings.REQUIRE_SIGNED, true));
		Signed signed = sign(client, JWSAlgorithm.ES256, (claims) -> {
		});

		// Added by whoever holds a captured object: not signed by the client, so not used (RFC 9101 §5).
		HttpResponse<String> response = new Browser().get(signed.uri() + "&prompt=none");

		assertThat(Browser.location(response, ISSUER)).isEqualTo(ISSUER + "/login");
		assertFlow(client, signed.uri() + "&prompt=none", signed);
	}

	@Test
	void whenRequestObjectIsPostedWithAcceptAnyThenSignInResumesItWithItsStateAndNonce() throws Exception {
		RegisteredClient client = client((settings) -> {
		});
		Signed signed = sign(client, JWSAlgorithm.PS256, (claims) -> {
		});
		Browser browser = new Browser();
		HttpResponse<String> posted = browser.send(HttpRequest.newBuilder(endpoint("/oauth2/authorize"))
			.header("Accept", "*/*")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(URI.create(signed.uri()).getRawQuery())));
		assertThat(Browser.location(posted, ISSUER)).isEqualTo(ISSUER + "/login");
		TestUserAccounts.Created user = newUser();
		String resumed = Browser.location(browser.signIn(ISSUER, user.username(), user.password()), ISSUER);
		assertThat(resumed).startsWith(ISSUER + "/oauth2/authorize?");

		String callback = Browser.location(browser.get(resumed), ISSUER);

		assertCallbackAndIdToken(client, callback, signed);
	}

	private void assertAccepted(RegisteredClient client, @Nullable JWSAlgorithm alg) throws Exception {
		Signed signed = sign(client, alg, (claims) -> {
		});
		assertFlow(client, signed.uri(), signed);
	}

	private void assertFlow(RegisteredClient client, String uri, Signed signed) {
		TestUserAccounts.Created user = newUser();
		String callback = new Browser().authorize(ISSUER, uri, user.username(), user.password());
		assertCallbackAndIdToken(client, callback, signed);
	}

	private void assertCallbackAndIdToken(RegisteredClient client, String callback, Signed signed) {
		CallbackParameters parameters = CallbackParameters.parse(callback);
		assertThat(callback).startsWith(REDIRECT_URI + "?");
		assertThat(parameters.get("error")).as(callback).isNull();
		assertThat(parameters.get("state")).isEqualTo(signed.state().getValue());
		OidcTestClient rp = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
		IDTokenClaimsSet idToken = rp.validate(OidcTestClient.success(rp.token(new AuthorizationCodeGrant(
				new AuthorizationCode(parameters.get("code")), URI.create(REDIRECT_URI), signed.verifier())))
			.getOIDCTokens()
			.getIDToken(), signed.nonce());
		assertThat(idToken.getNonce()).isEqualTo(signed.nonce());
	}

	/** A confidential client with this test's JWK set URL, no consent page, and the given settings. */
	private RegisteredClient client(Consumer<ClientSettings.Builder> settings) {
		ClientSettings.Builder builder = ClientSettings.builder()
			.requireProofKey(true)
			.requireAuthorizationConsent(false)
			.jwkSetUrl("http://127.0.0.1:" + this.clientJwks.getAddress().getPort() + "/jwks");
		settings.accept(builder);
		return save(TestRegisteredClients.confidentialClient().clientSettings(builder.build()));
	}

	/** A request object signed with {@code alg} (unsigned when null), and the request carrying only it. */
	private Signed sign(RegisteredClient client, @Nullable JWSAlgorithm alg, Consumer<JWTClaimsSet.Builder> change)
			throws Exception {
		State state = new State();
		Nonce nonce = new Nonce();
		CodeVerifier verifier = new CodeVerifier();
		JWTClaimsSet claims = claims(client, state, nonce, verifier, change);
		JWT jwt;
		if (alg == null) {
			jwt = new PlainJWT(claims);
		}
		else {
			JWSSigner signer;
			JWSHeader.Builder header = new JWSHeader.Builder(alg).type(new JOSEObjectType("oauth-authz-req+jwt"));
			if (JWSAlgorithm.Family.EC.contains(alg)) {
				signer = new ECDSASigner(this.ecKey);
				header.keyID(this.ecKey.getKeyID());
			}
			else if (JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
				signer = new MACSigner(TestRegisteredClients.secretOf(client).getBytes(StandardCharsets.UTF_8));
			}
			else {
				signer = new RSASSASigner(this.rsaKey);
				header.keyID(this.rsaKey.getKeyID());
			}
			SignedJWT signed = new SignedJWT(header.build(), claims);
			signed.sign(signer);
			jwt = signed;
		}
		return new Signed(request(client, jwt).toString(), state, nonce, verifier);
	}

	/**
	 * The authorization request parameters as request object claims (Nimbus), with {@code iss} and {@code aud} as
	 * OIDC Core §6.1 recommends; {@code change} alters them.
	 */
	private static JWTClaimsSet claims(RegisteredClient client, State state, Nonce nonce, CodeVerifier verifier,
			Consumer<JWTClaimsSet.Builder> change) {
		JWTClaimsSet parameters = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid", "profile"),
				new ClientID(client.getClientId()), URI.create(REDIRECT_URI))
			.state(state)
			.nonce(nonce)
			.codeChallenge(verifier, CodeChallengeMethod.S256)
			.build()
			.toJWTClaimsSet();
		JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder(parameters).issuer(client.getClientId())
			.audience(ISSUER)
			.issueTime(new Date())
			.expirationTime(new Date(System.currentTimeMillis() + 300_000));
		change.accept(builder);
		return builder.build();
	}

	/** The request as OIDC Core §6.1 sends it: response_type, client_id and scope beside the object. */
	private static URI request(RegisteredClient client, JWT requestObject) {
		return new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid"),
				new ClientID(client.getClientId()), null)
			.requestObject(requestObject)
			.endpointURI(endpoint("/oauth2/authorize"))
			.build()
			.toURI();
	}

	/** The same request without an object, for the parameters a test adds. */
	private static URI outer(RegisteredClient client) {
		return URI.create(ISSUER + "/oauth2/authorize?response_type=code&scope=openid&client_id="
				+ encode(client.getClientId()) + "&redirect_uri=" + encode(REDIRECT_URI));
	}

	private static void assertRedirectedError(HttpResponse<String> response, String error,
			@Nullable String state) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
		String location = Browser.location(response, ISSUER);
		assertThat(location).startsWith(REDIRECT_URI + "?");
		CallbackParameters parameters = CallbackParameters.parse(location);
		assertThat(parameters.get("error")).as(location).isEqualTo(error);
		assertThat(parameters.get("code")).isNull();
		assertThat(parameters.get("iss")).isEqualTo(ISSUER);
		if (state != null) {
			assertThat(parameters.get("state")).isEqualTo(state);
		}
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private record Signed(String uri, State state, Nonce nonce, CodeVerifier verifier) {
	}

}
