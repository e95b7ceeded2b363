package dev.authserver.keys;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jwt.SignedJWT;
import dev.authserver.IntegrationTestSupport;
import dev.authserver.TestDatabaseSchema;
import dev.authserver.TestRegisteredClients;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static dev.authserver.keys.SignedTokens.kid;
import static dev.authserver.keys.SignedTokens.sleepUntil;
import static dev.authserver.keys.SignedTokens.verify;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scheduled rotation: the next key is published {@code publish-ahead} before the period ends and takes over on
 * time, and when several instances share the database one of them does it.
 */
class ScheduledSigningKeyRotationIntegrationTests {

	@Test
	void whenTheRotationPeriodEndsThenTheNextKeyWasPublishedAheadAndTakesOverOnTime() throws Exception {
		try (TestDatabaseSchema schema = TestDatabaseSchema.create("keys_schedule");
				KeysTestServer server = KeysTestServer.start(schema, Map.of("authserver.keys.rotation-period", "PT8S",
						"authserver.keys.publish-ahead", "PT4S"))) {
			RegisteredClient service = server.save(TestRegisteredClients.serviceClient());
			String firstKid = server.publishedKids().get(0);
			Instant firstActivation = activatedAt(schema.jdbc(), firstKid);

			await().atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> server.publishedKids().size() == 2);
			String nextKid = server.publishedKids().stream().filter((kid) -> !kid.equals(firstKid)).findFirst().get();
			Instant nextActivation = activatedAt(schema.jdbc(), nextKid);
			SignedJWT whilePending = server.accessToken(service);
			assertThat(Instant.now()).as("test still before the next key's start").isBefore(nextActivation);
			assertThat(kid(whilePending)).isEqualTo(firstKid);
			// Due at the end of the period; published publish-ahead before (the job runs every refresh interval).
			assertThat(nextActivation).isBetween(firstActivation.plusSeconds(8), firstActivation.plusSeconds(10));
			assertThat(Duration.between(createdAt(schema.jdbc(), nextKid), nextActivation))
				.isGreaterThanOrEqualTo(Duration.ofSeconds(4));

			sleepUntil(nextActivation);
			SignedJWT afterwards = server.accessToken(service);
			assertThat(kid(afterwards)).isEqualTo(nextKid);
			verify(whilePending, server.jwkSet());
			await().atMost(Duration.ofSeconds(5)).until(() -> !server.rotations().isEmpty());
			assertThat(server.rotations().get(0)).isEqualTo(new SigningKeyRotated(firstKid, nextKid, nextActivation));
		}
	}

	@Test
	void runScheduledWhenTwoInstancesRaceThenOneRotatesAndNoneWhileAnotherNodeHoldsTheJob() throws Exception {
		int portA = IntegrationTestSupport.freePort();
		String issuer = "http://localhost:" + portA;
		try (TestDatabaseSchema schema = TestDatabaseSchema.create("keys_race");
				KeysTestServer a = KeysTestServer.start(schema, portA, issuer, Map.of());
				KeysTestServer b = KeysTestServer.start(schema, IntegrationTestSupport.freePort(), issuer, Map.of())) {
			JdbcTemplate jdbc = schema.jdbc();
			String kid = a.publishedKids().get(0);
			// Another node runs the job and keeps its lease for a minute.
			Timestamp inAMinute = Timestamp.from(Instant.now().plusSeconds(60));
			if (jdbc.update("UPDATE job_lock SET locked_until = ?, locked_by = 'another-node' WHERE name = ?",
					inAMinute, SigningKeyRotation.JOB_NAME) == 0) {
				jdbc.update("INSERT INTO job_lock (name, locked_until, locked_by) VALUES (?, ?, 'another-node')",
						SigningKeyRotation.JOB_NAME, inAMinute);
			}
			// The key is now older than its rotation period: a rotation is due.
			jdbc.update("UPDATE signing_key SET activated_at = ? WHERE kid = ?",
					Timestamp.from(Instant.now().minus(Duration.ofDays(31))), kid);

			assertThat(a.rotation().runScheduled()).isFalse();
			assertThat(b.rotation().runScheduled()).isFalse();
			// Both instances' own schedules (every second) are held back too.
			Thread.sleep(2_500);
			assertThat(pendingKeys(jdbc)).isEmpty();

			jdbc.update("UPDATE job_lock SET locked_until = ? WHERE name = ?", Timestamp.from(Instant.EPOCH),
					SigningKeyRotation.JOB_NAME);
			ExecutorService executor = Executors.newFixedThreadPool(2);
			try {
				for (int round = 0; round < 5; round++) {
					CyclicBarrier start = new CyclicBarrier(2);
					Future<Boolean> fromA = executor.submit(() -> {
						start.await(5, TimeUnit.SECONDS);
						return a.rotation().runScheduled();
					});
					Future<Boolean> fromB = executor.submit(() -> {
						start.await(5, TimeUnit.SECONDS);
						return b.rotation().runScheduled();
					});
					fromA.get(10, TimeUnit.SECONDS);
					fromB.get(10, TimeUnit.SECONDS);
				}
			}
			finally {
				executor.shutdownNow();
			}

			List<String> pending = pendingKeys(jdbc);
			assertThat(pending).hasSize(1);
			await().atMost(Duration.ofSeconds(3))
				.until(() -> a.publishedKids().contains(pending.get(0)) && b.publishedKids().contains(pending.get(0)));
		}
	}

	private static List<String> pendingKeys(JdbcTemplate jdbc) {
		return jdbc.queryForList("SELECT kid FROM signing_key WHERE status = 'PENDING'", String.class);
	}

	private static Instant activatedAt(JdbcTemplate jdbc, String kid) {
		return jdbc.queryForObject("SELECT activated_at FROM signing_key WHERE kid = ?", Timestamp.class, kid)
			.toInstant();
	}

	private static Instant createdAt(JdbcTemplate jdbc, String kid) {
		return jdbc.queryForObject("SELECT created_at FROM signing_key WHERE kid = ?", Timestamp.class, kid)
			.toInstant();
	}

}
