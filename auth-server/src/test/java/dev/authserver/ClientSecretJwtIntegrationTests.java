package dev.authserver;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.authserver.clients.ClientSecretGenerator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code client_secret_jwt} client authentication (RFC 7523, OIDC Core §9): the client signs an assertion with its
 * secret as the HMAC key, which works only because the secret is stored encrypted rather than hashed. Every assertion
 * is accepted once.
 */
class ClientSecretJwtIntegrationTests extends IntegrationTestSupport {

	private RegisteredClient client;

	private ClientID clientId;

	@BeforeEach
	void registerClient() {
		this.client = save(RegisteredClient.withId(UUID.randomUUID().toString())
			.clientId("csjwt-" + UUID.randomUUID())
			.clientSecret(new ClientSecretGenerator().generate())
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_JWT)
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.scope("api.read")
			.clientSettings(ClientSettings.builder()
				.tokenEndpointAuthenticationSigningAlgorithm(MacAlgorithm.HS256)
				.build()));
		this.clientId = new ClientID(this.client.getClientId());
	}

	@Test
	void tokenWhenAssertionIsSignedWithTheClientSecretThenClientIsAuthenticated() throws Exception {
		ClientSecretJWT assertion = new ClientSecretJWT(this.clientId, endpoint("/oauth2/token"), JWSAlgorithm.HS256,
				new Secret(TestRegisteredClients.secretOf(this.client)));

		HTTPResponse http = send(assertion);
		TokenResponse response = TokenResponse.parse(http);

		assertThat(response.indicatesSuccess()).as(http.getBody()).isTrue();
		assertThat(response.toSuccessResponse().getTokens().getAccessToken().getScope().toStringList())
			.containsExactly("api.read");
	}

	@Test
	void tokenWhenTheSameAssertionIsSentTwiceThenTheReplayIsInvalidClient() throws Exception {
		ClientSecretJWT assertion = new ClientSecretJWT(this.clientId, endpoint("/oauth2/token"), JWSAlgorithm.HS256,
				new Secret(TestRegisteredClients.secretOf(this.client)));

		assertThat(TokenResponse.parse(send(assertion)).indicatesSuccess()).isTrue();
		assertInvalidClient(send(assertion));
		// A fresh assertion (new jti) still works.
		assertThat(TokenResponse.parse(send(new ClientSecretJWT(this.clientId, endpoint("/oauth2/token"),
				JWSAlgorithm.HS256, new Secret(TestRegisteredClients.secretOf(this.client)))))
			.indicatesSuccess()).isTrue();
	}

	@Test
	void tokenWhenAssertionIsUnsignedThenInvalidClient() throws Exception {
		Date now = new Date();
		String unsigned = new PlainJWT(claims(endpoint("/oauth2/token").toString(), now, plusSeconds(now, 60),
				UUID.randomUUID().toString()))
			.serialize();

		HttpResponse<String> response = sendRaw(unsigned);

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.body()).contains("invalid_client");
	}

	@Test
	void tokenWhenAssertionIsExpiredOrForAnotherAudienceOrSignedWithAnotherSecretOrHasNoJtiThenInvalidClient()
			throws Exception {
		String secret = TestRegisteredClients.secretOf(this.client);
		String audience = endpoint("/oauth2/token").toString();
		Date now = new Date();

		assertInvalidClient(send(new ClientSecretJWT(
				sign(claims(audience, minusSeconds(now, 600), minusSeconds(now, 300), UUID.randomUUID().toString()),
						secret))));
		assertInvalidClient(send(new ClientSecretJWT(sign(claims("https://other-server.example/token", now,
				plusSeconds(now, 60), UUID.randomUUID().toString()), secret))));
		assertInvalidClient(send(new ClientSecretJWT(sign(
				claims(audience, now, plusSeconds(now, 60), UUID.randomUUID().toString()),
				new ClientSecretGenerator().generate()))));
		assertInvalidClient(send(new ClientSecretJWT(sign(claims(audience, now, plusSeconds(now, 60), null), secret))));
	}

	@Test
	void tokenWhenSecretIsRotatedThenOnlyTheNewSecretSignsAcceptedAssertions() throws Exception {
		String oldSecret = TestRegisteredClients.secretOf(this.client);
		assertThat(TokenResponse.parse(send(new ClientSecretJWT(this.clientId, endpoint("/oauth2/token"),
				JWSAlgorithm.HS256, new Secret(oldSecret))))
			.indicatesSuccess()).isTrue();
		String newSecret = new ClientSecretGenerator().generate();
		this.clients.save(RegisteredClient.from(this.client).clientSecret(newSecret).build());

		assertInvalidClient(send(new ClientSecretJWT(this.clientId, endpoint("/oauth2/token"), JWSAlgorithm.HS256,
				new Secret(oldSecret))));
		assertThat(TokenResponse.parse(send(new ClientSecretJWT(this.clientId, endpoint("/oauth2/token"),
				JWSAlgorithm.HS256, new Secret(newSecret))))
			.indicatesSuccess()).isTrue();
	}

	private JWTClaimsSet claims(String audience, Date issuedAt, Date expiresAt, String jti) {
		return new JWTClaimsSet.Builder().issuer(this.clientId.getValue())
			.subject(this.clientId.getValue())
			.audience(List.of(audience))
			.jwtID(jti)
			.issueTime(issuedAt)
			.expirationTime(expiresAt)
			.build();
	}

	private static SignedJWT sign(JWTClaimsSet claims, String secret) throws JOSEException {
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
		jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
		return jwt;
	}

	private static Date plusSeconds(Date date, long seconds) {
		return new Date(date.getTime() + seconds * 1000);
	}

	private static Date minusSeconds(Date date, long seconds) {
		return new Date(date.getTime() - seconds * 1000);
	}

	private static HTTPResponse send(ClientAuthentication authentication) throws IOException {
		return new TokenRequest(endpoint("/oauth2/token"), authentication, new ClientCredentialsGrant(),
				new Scope("api.read"))
			.toHTTPRequest()
			.send();
	}

	private HttpResponse<String> sendRaw(String assertion) throws Exception {
		String form = "grant_type=client_credentials&scope=api.read&client_id="
				+ URLEncoder.encode(this.clientId.getValue(), StandardCharsets.UTF_8)
				+ "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
				+ "&client_assertion=" + URLEncoder.encode(assertion, StandardCharsets.UTF_8);
		HttpRequest request = HttpRequest.newBuilder(URI.create(ISSUER + "/oauth2/token"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build();
		return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
	}

	static void assertInvalidClient(HTTPResponse response) throws Exception {
		assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(401);
		assertThat(TokenErrorResponse.parse(response).getErrorObject().getCode()).isEqualTo("invalid_client");
	}

}
