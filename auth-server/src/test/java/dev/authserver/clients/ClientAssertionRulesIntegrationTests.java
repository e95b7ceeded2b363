package dev.authserver.clients;

import java.io.IOException;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretJWT;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import dev.authserver.IntegrationTestSupport;
import dev.authserver.TestRegisteredClients;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audience and lifetime rules of client assertions (RFC 7523 §3, the audience-injection pattern behind
 * CVE-2025-27370/27371): one {@code aud}, our issuer or our token endpoint, valid for at most ten minutes.
 */
class ClientAssertionRulesIntegrationTests extends IntegrationTestSupport {

	private static final long MINUTE = 60_000L;

	private RegisteredClient client;

	@BeforeEach
	void registerClient() {
		this.client = save(RegisteredClient.withId(UUID.randomUUID().toString())
			.clientId("assertion-rules-" + UUID.randomUUID())
			.clientSecret(new ClientSecretGenerator().generate())
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_JWT)
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.scope("api.read")
			.clientSettings(ClientSettings.builder()
				.tokenEndpointAuthenticationSigningAlgorithm(MacAlgorithm.HS256)
				.build()));
	}

	@Test
	void whenAudienceIsTheIssuerOrTheTokenEndpointAloneThenClientIsAuthenticated() throws Exception {
		Date now = new Date();
		assertAuthenticated(send(claims(List.of(ISSUER), now, plus(now, 5))));
		assertAuthenticated(send(claims(List.of(ISSUER + "/oauth2/token"), now, plus(now, 5))));
	}

	@Test
	void whenAudienceNamesUsAndAnotherServerThenInvalidClient() throws Exception {
		Date now = new Date();
		assertInvalidClient(send(claims(List.of(ISSUER + "/oauth2/token", "https://other.example/token"), now,
				plus(now, 5))));
	}

	@Test
	void whenAudienceIsTheIntrospectionEndpointThenInvalidClientAtTheTokenEndpoint() throws Exception {
		Date now = new Date();
		assertInvalidClient(send(claims(List.of(ISSUER + "/oauth2/introspect"), now, plus(now, 5))));
	}

	@Test
	void whenAssertionIsValidForTenYearsThenInvalidClient() throws Exception {
		Date now = new Date();
		assertInvalidClient(send(claims(List.of(ISSUER + "/oauth2/token"), now, plus(now, 10L * 365 * 24 * 60))));
	}

	@Test
	void whenAssertionHasNoIatAndExpiresFarInTheFutureThenInvalidClient() throws Exception {
		Date now = new Date();
		assertInvalidClient(send(claims(List.of(ISSUER + "/oauth2/token"), null, plus(now, 60))));
		// Without iat, a near exp is fine.
		assertAuthenticated(send(claims(List.of(ISSUER + "/oauth2/token"), null, plus(now, 5))));
	}

	private JWTClaimsSet claims(List<String> audience, Date issuedAt, Date expiresAt) {
		return new JWTClaimsSet.Builder().issuer(this.client.getClientId())
			.subject(this.client.getClientId())
			.audience(audience)
			.jwtID(UUID.randomUUID().toString())
			.issueTime(issuedAt)
			.expirationTime(expiresAt)
			.build();
	}

	private static Date plus(Date date, long minutes) {
		return new Date(date.getTime() + minutes * MINUTE);
	}

	private HTTPResponse send(JWTClaimsSet claims) throws IOException, JOSEException {
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
		jwt.sign(new MACSigner(TestRegisteredClients.secretOf(this.client)));
		return new TokenRequest(endpoint("/oauth2/token"), new ClientSecretJWT(jwt), new ClientCredentialsGrant(),
				new Scope("api.read"))
			.toHTTPRequest()
			.send();
	}

	private static void assertAuthenticated(HTTPResponse response) throws Exception {
		assertThat(TokenResponse.parse(response).indicatesSuccess()).as(response.getBody()).isTrue();
	}

	private static void assertInvalidClient(HTTPResponse response) throws Exception {
		assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(401);
		assertThat(TokenErrorResponse.parse(response).getErrorObject().getCode()).isEqualTo("invalid_client");
	}

}
