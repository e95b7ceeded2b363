package dev.authserver;

import java.nio.file.Files;
import java.nio.file.Path;

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
		}
		// The quick start's second run: the same files, the changelogs already applied, the seed already there.
		try (ConfigurableApplicationContext again = start("dev", port)) {
			assertThat(new Browser().get(issuer + "/.well-known/openid-configuration").statusCode()).isEqualTo(200);
			var signIn = new Browser().signIn(issuer, "demo", "demo-password");
			assertThat(Browser.location(signIn, issuer)).isEqualTo(issuer + "/");
		}
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
		return new SpringApplicationBuilder(AuthServerApplication.class).profiles(profile)
			.run("--server.port=" + port, "--authserver.issuer=http://localhost:" + port,
					"--authserver.data-dir=" + this.dataDir, "--server.servlet.session.cookie.secure=false");
	}

}
