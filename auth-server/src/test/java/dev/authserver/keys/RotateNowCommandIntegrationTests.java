package dev.authserver.keys;

import java.io.IOException;
import java.net.Socket;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.nimbusds.jwt.SignedJWT;
import dev.authserver.AuthServerApplication;
import dev.authserver.IntegrationTestSupport;
import dev.authserver.TestDatabaseSchema;
import dev.authserver.TestRegisteredClients;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static dev.authserver.keys.SignedTokens.kid;
import static dev.authserver.keys.SignedTokens.sleepUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code java -jar auth-server.jar --authserver.keys.rotate-now}: rotates through the database, next to running
 * instances, and exits without serving anything.
 */
class RotateNowCommandIntegrationTests {

	@Test
	void mainWhenRotateNowIsGivenThenTheRunningInstancePublishesTheNewKeyAndSwitchesToIt() throws Exception {
		try (TestDatabaseSchema schema = TestDatabaseSchema.create("keys_command");
				KeysTestServer server = KeysTestServer.start(schema, Map.of())) {
			RegisteredClient service = server.save(TestRegisteredClients.serviceClient());
			String oldKid = kid(server.accessToken(service));
			int commandPort = IntegrationTestSupport.freePort();
			List<String> args = new ArrayList<>(List.of(schema.datasourceArguments()));
			KeysTestServer.FAST_KEYS.forEach((key, value) -> args.add("--" + key + "=" + value));
			args.addAll(List.of("--spring.profiles.active=test", "--server.port=" + commandPort,
					"--authserver.issuer=http://localhost:" + commandPort, "--" + RotateNowCommand.OPTION));

			// Returns once done, with status 0: the command closes its context instead of serving.
			Instant started = Instant.now();
			assertThat(AuthServerApplication.runCommand(args.toArray(String[]::new))).isZero();
			Instant finished = Instant.now();

			assertThat(listens(commandPort)).as("the command opened no port").isFalse();
			List<String> pending = schema.jdbc()
				.queryForList("SELECT kid FROM signing_key WHERE status = 'PENDING'", String.class);
			assertThat(pending).hasSize(1);
			String newKid = pending.get(0);
			Instant activatesAt = schema.jdbc()
				.queryForObject("SELECT activated_at FROM signing_key WHERE kid = ?", Timestamp.class, newKid)
				.toInstant();
			// refresh-interval + clock-skew after the command: every running instance has read the key by then.
			assertThat(activatesAt).isBetween(started.minusMillis(1).plusSeconds(2), finished.plusSeconds(2));

			await().atMost(Duration.ofSeconds(2)).until(() -> server.publishedKids().contains(newKid));
			sleepUntil(activatesAt);
			SignedJWT after = server.accessToken(service);
			assertThat(kid(after)).isEqualTo(newKid).isNotEqualTo(oldKid);
		}
	}

	private static boolean listens(int port) {
		try (Socket socket = new Socket("localhost", port)) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
