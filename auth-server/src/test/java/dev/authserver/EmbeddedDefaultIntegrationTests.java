package dev.authserver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import dev.authserver.users.UserAccounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With no database configured the server runs on an embedded H2 file database with the same changelogs; the
 * {@code dev} profile seeds the quick start's data, and nothing is seeded without it.
 */
class EmbeddedDefaultIntegrationTests {

	@TempDir
	Path dataDir;

	@Test
	void whenNoDatabaseIsConfiguredAndDevProfileIsOnThenH2ServesDiscoveryAndTheDemoUserSignsIn() throws Exception {
		int port = IntegrationTestSupport.freePort();
		String issuer = "http://localhost:" + port;
		try (ConfigurableApplicationContext context = start("dev", port)) {
			try (var connection = context.getBean(DataSource.class).getConnection()) {
				assertThat(connection.getMetaData().getURL()).startsWith("jdbc:h2:file:" + this.dataDir);
			}
			assertThat(Files.list(this.dataDir).map(Path::toString)).anyMatch((file) -> file.endsWith(".mv.db"));

			var discovery = new Browser().get(issuer + "/.well-known/openid-configuration");
			assertThat(discovery.statusCode()).isEqualTo(200);
			assertThat(discovery.body()).contains("\"issuer\":\"" + issuer + "\"");
			assertThat(new Browser().get(issuer + "/oauth2/jwks").body()).contains("\"kty\":\"RSA\"");

			assertThat(context.getBean(RegisteredClientRepository.class).findByClientId("demo-client")).isNotNull();
			var signIn = new Browser().signIn(issuer, "demo", "demo-password");
			assertThat(Browser.location(signIn, issuer)).isEqualTo(issuer + "/");
			// No master password configured: the dev profile generated one, and the demo secret is encrypted with it.
			assertThat(storedDemoClientSecret(context)).startsWith("v1:").doesNotContain("dev-only-demo-client-secret");
		}
		String generatedPassword = Files.readString(this.dataDir.resolve("master-password"));
		// The quick start's second run: the same files, the changelogs already applied, the seed already there.
		try (ConfigurableApplicationContext again = start("dev", port)) {
			assertThat(new Browser().get(issuer + "/.well-known/openid-configuration").statusCode()).isEqualTo(200);
			var signIn = new Browser().signIn(issuer, "demo", "demo-password");
			assertThat(Browser.location(signIn, issuer)).isEqualTo(issuer + "/");
			// The generated master password was reused: the stored secret still decrypts.
			assertThat(Files.readString(this.dataDir.resolve("master-password"))).isEqualTo(generatedPassword);
			assertThat(again.getBean(RegisteredClientRepository.class).findByClientId("demo-client").getClientSecret())
				.isEqualTo("dev-only-demo-client-secret");
		}
	}

	private static String storedDemoClientSecret(ConfigurableApplicationContext context) {
		return context.getBean(org.springframework.jdbc.core.JdbcTemplate.class)
			.queryForObject("SELECT client_secret FROM oauth2_registered_client WHERE client_id = 'demo-client'",
					String.class);
	}

	@Test
	void whenDevProfileIsOffThenNothingIsSeeded() {
		try (ConfigurableApplicationContext context = start("default", IntegrationTestSupport.freePort())) {
			assertThat(context.getBean(RegisteredClientRepository.class).findByClientId("demo-client")).isNull();
			assertThat(context.getBean(UserAccounts.class).findByLogin("demo")).isEmpty();
		}
	}

	private ConfigurableApplicationContext start(String profile, int port) {
		// Command-line arguments, because builder properties are defaults that the configuration file overrides.
		List<String> args = new ArrayList<>(List.of("--server.port=" + port,
				"--authserver.issuer=http://localhost:" + port, "--authserver.data-dir=" + this.dataDir,
				"--server.servlet.session.cookie.secure=false"));
		// Outside the dev profile the server needs a master password; the dev profile generates its own.
		if (!"dev".equals(profile)) {
			args.add("--authserver.crypto.master-password=embedded-test-master-password");
		}
		return new SpringApplicationBuilder(AuthServerApplication.class).profiles(profile)
			.run(args.toArray(String[]::new));
	}

}
