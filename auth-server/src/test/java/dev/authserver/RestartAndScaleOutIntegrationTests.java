package dev.authserver;

import java.util.ArrayList;
import java.util.List;

import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import dev.authserver.users.UserAccounts;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server keeps nothing that matters in memory: after a restart, and on a second instance sharing the database,
 * clients, users, consents, live tokens and the signing key are all still there.
 */
class RestartAndScaleOutIntegrationTests {

	@Test
	void whenServerRestartsThenClientsUsersConsentsLiveTokensAndSigningKeySurvive() throws Exception {
		int port = IntegrationTestSupport.freePort();
		String issuer = "http://localhost:" + port;
		try (TestDatabaseSchema schema = TestDatabaseSchema.create("restart")) {
			restartKeepsEverything(schema, port, issuer);
		}
	}

	// In a schema of its own: a key rotation another test asks for in the shared database could otherwise take
	// over between the two starts, and the "same signing key" check would see that one.
	private static void restartKeepsEverything(TestDatabaseSchema schema, int port, String issuer) throws Exception {
		RegisteredClient client;
		TestUserAccounts.Created user;
		OIDCTokens tokens;
		String kid;
		try (ConfigurableApplicationContext first = start(schema, port, issuer)) {
			client = TestRegisteredClients.confidentialClient().build();
			first.getBean(RegisteredClientRepository.class).save(client);
			user = TestUserAccounts.userAccount().create(first.getBean(UserAccounts.class));
			OidcTestClient rp = new OidcTestClient(issuer, client, TestRegisteredClients.secretOf(client));
			OidcTestClient.Authorized authorized = rp.authorize(new Browser(), TestRegisteredClients.REDIRECT_URI,
					"openid profile", user);
			tokens = OidcTestClient.success(rp.exchange(authorized.code(), authorized.request())).getOIDCTokens();
			kid = SignedJWT.parse(tokens.getAccessToken().getValue()).getHeader().getKeyID();
		}

		try (ConfigurableApplicationContext second = start(schema, port, issuer)) {
			OidcTestClient rp = new OidcTestClient(issuer, client, TestRegisteredClients.secretOf(client));
			// The client authenticates, and the token issued before the restart is still live.
			assertThat(rp.introspect(tokens.getAccessToken()).isActive()).isTrue();
			// The ID token still verifies against the JWK set the restarted server publishes.
			rp.validate(tokens.getIDToken(), null);
			// Refresh works and the new tokens are signed with the same key.
			OIDCTokens refreshed = OidcTestClient.success(rp.token(new RefreshTokenGrant(tokens.getRefreshToken())))
				.getOIDCTokens();
			assertThat(SignedJWT.parse(refreshed.getAccessToken().getValue()).getHeader().getKeyID()).isEqualTo(kid);
			// The consent is remembered: a new browser session signs in and goes straight back to the client.
			OidcTestClient.Request again = rp.authorizationRequest(TestRegisteredClients.REDIRECT_URI, "openid profile");
			String callback = new Browser().authorize(issuer, again.uri(), user.username(), user.password());
			assertThat(CallbackParameters.parse(callback).get("code")).isNotBlank();
		}
	}

	@Test
	void whenTwoInstancesShareTheDatabaseThenTheySignWithTheSameKeyAndAcceptEachOthersTokens() throws Exception {
		int portA = IntegrationTestSupport.freePort();
		int portB = IntegrationTestSupport.freePort();
		// Behind a load balancer both instances answer for one issuer.
		String issuer = "http://localhost:" + portA;
		try (TestDatabaseSchema schema = TestDatabaseSchema.create("scale_out");
				ConfigurableApplicationContext a = start(schema, portA, issuer);
				ConfigurableApplicationContext b = start(schema, portB, issuer)) {
			RegisteredClient client = TestRegisteredClients.confidentialClient().build();
			a.getBean(RegisteredClientRepository.class).save(client);
			TestUserAccounts.Created user = TestUserAccounts.userAccount().create(a.getBean(UserAccounts.class));
			OidcTestClient viaA = new OidcTestClient(issuer, client, TestRegisteredClients.secretOf(client));
			OidcTestClient.Authorized authorized = viaA.authorize(new Browser(), TestRegisteredClients.REDIRECT_URI,
					"openid", user);
			OIDCTokens fromA = OidcTestClient.success(viaA.exchange(authorized.code(), authorized.request()))
				.getOIDCTokens();

			OidcTestClient viaB = new OidcTestClient("http://localhost:" + portB, client,
					TestRegisteredClients.secretOf(client));
			assertThat(new Browser().get("http://localhost:" + portB + "/oauth2/jwks").body())
				.isEqualTo(new Browser().get(issuer + "/oauth2/jwks").body());
			assertThat(viaB.introspect(fromA.getAccessToken()).isActive()).isTrue();
			OIDCTokens fromB = OidcTestClient.success(viaB.token(new RefreshTokenGrant(fromA.getRefreshToken())))
				.getOIDCTokens();
			assertThat(SignedJWT.parse(fromB.getAccessToken().getValue()).getHeader().getKeyID())
				.isEqualTo(SignedJWT.parse(fromA.getAccessToken().getValue()).getHeader().getKeyID());
			viaA.validate(fromB.getIDToken(), null);
		}
	}

	static ConfigurableApplicationContext start(TestDatabaseSchema schema, int port, String issuer) {
		List<String> args = new ArrayList<>(List.of(schema.datasourceArguments()));
		args.addAll(List.of("--server.port=" + port, "--authserver.issuer=" + issuer));
		return new SpringApplicationBuilder(AuthServerApplication.class).profiles("test")
			.run(args.toArray(String[]::new));
	}

	static ConfigurableApplicationContext start(int port, String issuer) {
		// Command-line arguments, because builder properties are defaults that the configuration file overrides.
		return new SpringApplicationBuilder(AuthServerApplication.class).profiles("test")
			.run("--server.port=" + port, "--authserver.issuer=" + issuer);
	}

}
