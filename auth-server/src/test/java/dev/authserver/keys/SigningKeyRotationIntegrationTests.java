package dev.authserver.keys;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import dev.authserver.Browser;
import dev.authserver.IntegrationTestSupport;
import dev.authserver.OidcTestClient;
import dev.authserver.TestDatabaseSchema;
import dev.authserver.TestRegisteredClients;
import dev.authserver.TestUserAccounts;
import dev.authserver.users.UserAccounts;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static dev.authserver.keys.SignedTokens.expiresAt;
import static dev.authserver.keys.SignedTokens.kid;
import static dev.authserver.keys.SignedTokens.lifetime;
import static dev.authserver.keys.SignedTokens.sleepUntil;
import static dev.authserver.keys.SignedTokens.verify;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A key's whole life as clients see it, over real HTTP on PostgreSQL: published as PENDING before it signs, the only
 * key that signs while ACTIVE, still published as RETIRED while tokens it signed are valid, then gone. Each test has a
 * database schema of its own, so the rotations here change nothing for other test classes.
 */
class SigningKeyRotationIntegrationTests {

	@Test
	void rotateNowWhenTokensWereSignedBeforeThenTheyVerifyUntilTheyExpireAndOnlyThenTheRetiredKeyLeaves()
			throws Exception {
		try (TestDatabaseSchema schema = TestDatabaseSchema.create("keys_rotation");
				KeysTestServer server = KeysTestServer.start(schema, Map.of())) {
			RegisteredClient service = server.save(TestRegisteredClients.serviceClient());
			RegisteredClient web = server.save(TestRegisteredClients.confidentialClient());
			TestUserAccounts.Created user = TestUserAccounts.userAccount().create(server.bean(UserAccounts.class));
			OidcTestClient rp = server.client(web);
			assertThat(server.publishedKids()).hasSize(1);
			String oldKid = server.publishedKids().get(0);

			SignedJWT before = server.accessToken(service);
			OidcTestClient.Authorized authorized = rp.authorize(new Browser(), TestRegisteredClients.REDIRECT_URI,
					"openid", user);
			OIDCTokens tokens = OidcTestClient.success(rp.exchange(authorized.code(), authorized.request()))
				.getOIDCTokens();
			assertThat(kid(before)).isEqualTo(oldKid);
			assertThat(kid(tokens.getIDToken())).isEqualTo(oldKid);
			// retired-retention 6 s - 2 x clock-skew 1 s: no token outlives its key, whatever the client's settings.
			assertThat(lifetime(before)).isLessThanOrEqualTo(Duration.ofSeconds(4));
			assertThat(lifetime(tokens.getIDToken())).isLessThanOrEqualTo(Duration.ofSeconds(4));

			SigningKeyRotation.PlannedRotation planned = server.rotation().rotateNow();

			assertThat(planned.previousKid()).isEqualTo(oldKid);
			assertThat(planned.newKid()).isNotEqualTo(oldKid);
			assertThat(planned.algorithm()).isEqualTo("RS256");
			// PENDING: published at once, and not signing yet.
			assertThat(server.publishedKids()).containsExactlyInAnyOrder(oldKid, planned.newKid());
			SignedJWT pending = server.accessToken(service);
			assertThat(Instant.now()).as("test still before the new key's start").isBefore(planned.activatesAt());
			assertThat(kid(pending)).isEqualTo(oldKid);

			// ACTIVE: the only key that signs, from its planned instant on.
			sleepUntil(planned.activatesAt());
			SignedJWT after = server.accessToken(service);
			assertThat(kid(after)).isEqualTo(planned.newKid());
			OIDCTokens refreshed = OidcTestClient
				.success(rp.token(new com.nimbusds.oauth2.sdk.RefreshTokenGrant(tokens.getRefreshToken())))
				.getOIDCTokens();
			assertThat(kid(refreshed.getIDToken())).isEqualTo(planned.newKid());
			assertThat(kid(SignedJWT.parse(refreshed.getAccessToken().getValue()))).isEqualTo(planned.newKid());

			// Tokens signed before the rotation still verify against the JWK set, as do the new ones.
			for (JWT token : List.of(before, pending, tokens.getIDToken(), after)) {
				verify(token, server.jwkSet());
			}
			rp.validate(tokens.getIDToken(), authorized.request().nonce());
			rp.validate(refreshed.getIDToken(), null);

			// The switch is recorded once the clock skew has passed, and published for the audit log.
			await().atMost(Duration.ofSeconds(10)).until(() -> !server.rotations().isEmpty());
			assertThat(server.rotations())
				.containsExactly(new SigningKeyRotated(oldKid, planned.newKid(), planned.activatesAt()));
			assertThat(status(schema, oldKid)).isEqualTo("RETIRED");
			assertThat(status(schema, planned.newKid())).isEqualTo("ACTIVE");

			// RETIRED: published until every token it signed has expired (plus the clock skew), then deleted.
			Instant lastExpiry = Stream.of(before, pending, tokens.getIDToken())
				.map(SignedTokens::expiresAt)
				.max(Instant::compareTo)
				.orElseThrow();
			Instant lastSeen = Instant.now();
			Instant giveUpAt = planned.activatesAt().plusSeconds(20);
			while (server.publishedKids().contains(oldKid)) {
				lastSeen = Instant.now();
				assertThat(lastSeen).as("retired key still published long after its retention").isBefore(giveUpAt);
				Thread.sleep(200);
			}
			assertThat(lastSeen).isAfter(lastExpiry.plus(Duration.ofSeconds(1)));
			assertThat(schema.jdbc().queryForObject("SELECT COUNT(*) FROM signing_key WHERE kid = ?", Integer.class,
					oldKid)).isZero();
			assertThat(server.publishedKids()).containsExactly(planned.newKid());
			assertThat(expiresAt(after)).isBefore(Instant.now().plusSeconds(5));
		}
	}

	@Test
	void rotateNowWhenTwoInstancesShareTheDatabaseThenBothPublishTheKeyFirstAndSwitchAtTheSameInstant()
			throws Exception {
		int portA = IntegrationTestSupport.freePort();
		int portB = IntegrationTestSupport.freePort();
		// Behind a load balancer both instances answer for one issuer.
		String issuer = "http://localhost:" + portA;
		// A 3 s lead (refresh-interval 1 s + clock-skew 2 s) leaves room to watch B between publishing and signing.
		Map<String, String> settings = Map.of("authserver.keys.clock-skew", "PT2S", "authserver.keys.publish-ahead",
				"PT4S", "authserver.keys.retired-retention", "PT30S");
		try (TestDatabaseSchema schema = TestDatabaseSchema.create("keys_scale_out");
				KeysTestServer a = KeysTestServer.start(schema, portA, issuer, settings);
				KeysTestServer b = KeysTestServer.start(schema, portB, issuer, settings)) {
			RegisteredClient service = a.save(TestRegisteredClients.serviceClient());
			String oldKid = kid(a.accessToken(service));
			assertThat(kid(b.accessToken(service))).isEqualTo(oldKid);
			assertThat(b.jwkSetResponse().body()).isEqualTo(a.jwkSetResponse().body());

			SigningKeyRotation.PlannedRotation planned = a.rotation().rotateNow();

			// Nobody tells B: it reads the table within its refresh interval, and publishes the key before it signs.
			await().atMost(Duration.ofSeconds(3))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> b.publishedKids().contains(planned.newKid()));
			SignedJWT fromB = b.accessToken(service);
			assertThat(Instant.now()).as("test still before the new key's start").isBefore(planned.activatesAt());
			assertThat(kid(fromB)).isEqualTo(oldKid);

			sleepUntil(planned.activatesAt());
			SignedJWT afterFromA = a.accessToken(service);
			SignedJWT afterFromB = b.accessToken(service);
			assertThat(kid(afterFromA)).isEqualTo(planned.newKid());
			assertThat(kid(afterFromB)).isEqualTo(planned.newKid());
			verify(fromB, a.jwkSet());
			verify(afterFromB, a.jwkSet());
			verify(afterFromA, b.jwkSet());

			// Once both have re-read the table they publish the same set, and one of them recorded the switch.
			await().atMost(Duration.ofSeconds(10))
				.until(() -> a.rotations().size() + b.rotations().size() == 1
						&& a.jwkSetResponse().body().equals(b.jwkSetResponse().body())
						&& "ACTIVE".equals(status(schema, planned.newKid())));
			Thread.sleep(1_500);
			assertThat(Stream.concat(a.rotations().stream(), b.rotations().stream()))
				.containsExactly(new SigningKeyRotated(oldKid, planned.newKid(), planned.activatesAt()));
			assertThat(a.publishedKids()).containsExactly(planned.newKid(), oldKid);
		}
	}

	@Test
	void jwkSetWhenFetchedThenClientsMayCacheItForTheConfiguredMaxAge() throws Exception {
		try (TestDatabaseSchema schema = TestDatabaseSchema.create("keys_cache");
				KeysTestServer server = KeysTestServer.start(schema,
						Map.of("authserver.keys.jwk-set-max-age", "PT42S", "authserver.keys.publish-ahead", "PT1M"))) {
			assertThat(server.jwkSetResponse().headers().allValues("Cache-Control"))
				.containsExactly("public, max-age=42");
			// Other answers keep Spring Security's no-store.
			assertThat(new Browser().get(server.baseUrl() + "/.well-known/openid-configuration")
				.headers()
				.firstValue("Cache-Control")).hasValueSatisfying((value) -> assertThat(value).contains("no-store"));
		}
	}

	private static String status(TestDatabaseSchema schema, String kid) {
		return schema.jdbc().queryForObject("SELECT status FROM signing_key WHERE kid = ?", String.class, kid);
	}

}
