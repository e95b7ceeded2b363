package dev.authserver;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The session registry the authorization server reads for an ID token's {@code sid} and {@code auth_time} is the
 * shared session store: a code obtained at one instance and redeemed at another yields both (OIDC Core 1.0 §2:
 * {@code auth_time} is required when {@code max_age} was sent), and the {@code sid} names the session by a hash,
 * never by its cookie.
 */
class SessionRegistryScaleOutIntegrationTests extends IntegrationTestSupport {

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void whenCodeFromOneInstanceIsRedeemedAtAnotherThenTheIdTokenHasAuthTimeAndSid() throws Exception {
		RegisteredClient client = save(TestRegisteredClients.confidentialClient());
		String secret = TestRegisteredClients.secretOf(client);
		TestUserAccounts.Created user = newUser();
		OidcTestClient viaA = new OidcTestClient(ISSUER, client, secret);
		OidcTestClient.Request request = viaA.authorizationRequest(TestRegisteredClients.REDIRECT_URI, "openid");
		Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		Browser browser = new Browser();
		String callback = browser.authorize(ISSUER, request.uri() + "&max_age=600", user.username(),
				user.password());
		String code = CallbackParameters.parse(callback).get("code");
		assertThat(code).isNotBlank();

		int portB = freePort();
		// Behind a load balancer both instances answer for one issuer; B has never seen the browser's session.
		try (ConfigurableApplicationContext b = RestartAndScaleOutIntegrationTests.start(portB, ISSUER)) {
			OidcTestClient viaB = new OidcTestClient("http://localhost:" + portB, client, secret);
			OIDCTokens tokens = OidcTestClient.success(viaB.exchange(code, request)).getOIDCTokens();

			IDTokenClaimsSet claims = viaA.validate(tokens.getIDToken(), request.nonce());
			assertThat(claims.getAuthenticationTime()).as("auth_time")
				.isNotNull()
				.isBetween(java.util.Date.from(before), java.util.Date.from(Instant.now()));
			String sid = claims.getStringClaim("sid");
			String storedId = this.jdbc
				.queryForObject("SELECT session_id FROM spring_session WHERE principal_name = ?", String.class,
						user.account().id().toString())
				.trim();
			String cookie = browser.cookie("JSESSIONID").orElseThrow().getValue();
			// Spring's sid: the Base64url SHA-256 of the session id, which is itself a digest of the cookie.
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(storedId.getBytes(StandardCharsets.US_ASCII));
			assertThat(sid).isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(hash));
			assertThat(sid).doesNotContain(cookie).doesNotContain(storedId);
		}
	}

}
