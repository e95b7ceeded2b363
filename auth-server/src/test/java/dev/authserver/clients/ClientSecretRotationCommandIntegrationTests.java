package dev.authserver.clients;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import dev.authserver.IntegrationTestSupport;
import dev.authserver.OidcTestClient;
import dev.authserver.TestRegisteredClients;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client secret rotation command: a new server-generated secret, shown once, stored encrypted; the old one stops
 * working.
 */
class ClientSecretRotationCommandIntegrationTests extends IntegrationTestSupport {

	@Autowired
	private ClientsConfiguration.StoredClients storedClients;

	@Autowired
	private JdbcTemplate jdbc;

	@Test
	void runWhenClientExistsThenNewSecretIsShownOnceAndTheOldOneStopsWorking() {
		RegisteredClient client = save(TestRegisteredClients.serviceClient());
		ByteArrayOutputStream output = new ByteArrayOutputStream();
		ClientSecretRotationCommand command = new ClientSecretRotationCommand(this.storedClients,
				new PrintStream(output, true, StandardCharsets.UTF_8));

		command.run(new DefaultApplicationArguments("--authserver.clients.rotate-secret=" + client.getClientId()));

		assertThat(command.getExitCode()).isZero();
		String[] lines = output.toString(StandardCharsets.UTF_8).strip().split("\n");
		String secret = lines[lines.length - 1].strip();
		// 32 random bytes, base64url: 43 characters.
		assertThat(secret).matches("[A-Za-z0-9_-]{43}");
		assertThat(this.jdbc.queryForObject("SELECT client_secret FROM oauth2_registered_client WHERE id = ?",
				String.class, client.getId()))
			.startsWith("v1:")
			.doesNotContain(secret);
		OidcTestClient withNewSecret = new OidcTestClient(ISSUER, client, secret);
		OidcTestClient withOldSecret = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
		OidcTestClient.success(withNewSecret.token(new ClientCredentialsGrant(), new Scope("api.read")));
		assertThat(OidcTestClient.error(withOldSecret.token(new ClientCredentialsGrant(), new Scope("api.read")))
			.getCode()).isEqualTo("invalid_client");
	}

	@Test
	void runWhenClientIsUnknownOrPublicThenExitStatusOneAndNothingChanges() {
		RegisteredClient publicClient = save(TestRegisteredClients.publicClient());
		for (String clientId : new String[] { "no-such-client", publicClient.getClientId(), "" }) {
			ByteArrayOutputStream output = new ByteArrayOutputStream();
			ClientSecretRotationCommand command = new ClientSecretRotationCommand(this.storedClients,
					new PrintStream(output, true, StandardCharsets.UTF_8));

			command.run(new DefaultApplicationArguments("--authserver.clients.rotate-secret=" + clientId));

			assertThat(command.getExitCode()).as(clientId).isEqualTo(1);
			assertThat(output.toString(StandardCharsets.UTF_8)).isEmpty();
		}
		assertThat(this.clients.findByClientId(publicClient.getClientId()).getClientSecret()).isNull();
	}

	@Test
	void runCommandWhenStartedFromTheJarsMainThenItRotatesAndExitsWithoutAServer() {
		RegisteredClient client = save(TestRegisteredClients.serviceClient());
		int port = freePort();

		int status = dev.authserver.AuthServerApplication.runCommand("--spring.profiles.active=test",
				"--server.port=" + port, "--authserver.issuer=" + ISSUER,
				"--authserver.clients.rotate-secret=" + client.getClientId());

		assertThat(status).isZero();
		OidcTestClient withOldSecret = new OidcTestClient(ISSUER, client, TestRegisteredClients.secretOf(client));
		assertThat(OidcTestClient.error(withOldSecret.token(new ClientCredentialsGrant(), new Scope("api.read")))
			.getCode()).isEqualTo("invalid_client");
		assertThat(dev.authserver.AuthServerApplication.runCommand("--spring.profiles.active=test",
				"--server.port=" + port, "--authserver.issuer=" + ISSUER,
				"--authserver.clients.rotate-secret=no-such-client"))
			.isEqualTo(1);
	}

}
