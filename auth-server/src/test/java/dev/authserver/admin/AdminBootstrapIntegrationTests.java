package dev.authserver.admin;

import java.util.ArrayList;
import java.util.List;

import dev.authserver.AuthServerApplication;
import dev.authserver.Browser;
import dev.authserver.IntegrationTestSupport;
import dev.authserver.TestDatabaseSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first admin comes from configuration (password from the environment) or from the one-off command, never
 * from a default password, and only while nobody is an admin.
 */
@ExtendWith(OutputCaptureExtension.class)
class AdminBootstrapIntegrationTests {

	static final String PASSWORD = "first-admin-password-0123";

	@Test
	void whenBootstrapIsConfiguredAndNoAdminExistsThenTheFirstAdminIsCreatedOnce() {
		try (TestDatabaseSchema schema = TestDatabaseSchema.create("admin_bootstrap")) {
			int port = IntegrationTestSupport.freePort();
			String issuer = "http://localhost:" + port;
			try (ConfigurableApplicationContext server = start(schema, port, "--authserver.admin.bootstrap.username=Root",
					"--authserver.admin.bootstrap.password=" + PASSWORD)) {
				assertThat(admins(schema)).containsExactly("root");
				Browser browser = new Browser();
				browser.signIn(issuer, "root", PASSWORD);
				assertThat(browser.get(issuer + "/admin/clients").statusCode()).isEqualTo(200);
			}
			// An admin exists: another configured name creates nothing.
			try (ConfigurableApplicationContext server = start(schema, port,
					"--authserver.admin.bootstrap.username=second", "--authserver.admin.bootstrap.password=" + PASSWORD)) {
				assertThat(admins(schema)).containsExactly("root");
				assertThat(schema.jdbc().queryForObject("SELECT count(*) FROM user_account", Long.class)).isOne();
			}
		}
	}

	@Test
	void whenNothingOrAWeakPasswordIsConfiguredThenNoAdminIsCreated() {
		try (TestDatabaseSchema schema = TestDatabaseSchema.create("admin_bootstrap")) {
			try (ConfigurableApplicationContext server = start(schema, IntegrationTestSupport.freePort(),
					"--authserver.admin.bootstrap.username=root", "--authserver.admin.bootstrap.password=short")) {
				assertThat(admins(schema)).isEmpty();
				assertThat(schema.jdbc().queryForObject("SELECT count(*) FROM user_account", Long.class)).isZero();
			}
		}
	}

	@Test
	void whenTheCreateCommandRunsThenItPrintsAGeneratedPasswordOnceAndNeverLogsIt(CapturedOutput output) {
		try (TestDatabaseSchema schema = TestDatabaseSchema.create("admin_command")) {
			int port = IntegrationTestSupport.freePort();
			List<String> args = new ArrayList<>(List.of(schema.datasourceArguments()));
			args.addAll(List.of("--spring.profiles.active=test", "--server.port=" + port,
					"--authserver.issuer=http://localhost:" + port, "--authserver.admin.create=ops",
					"--authserver.admin.email=ops@example.com"));

			assertThat(AuthServerApplication.runCommand(args.toArray(String[]::new))).isZero();

			String[] lines = output.getOut().split("\\R");
			String password = null;
			for (int i = 0; i < lines.length - 1; i++) {
				if (lines[i].contains("Its password (shown once")) {
					password = lines[i + 1].strip();
				}
			}
			assertThat(password).isNotNull().hasSizeGreaterThanOrEqualTo(43);
			assertThat(admins(schema)).containsExactly("ops");
			String hash = schema.jdbc()
				.queryForObject("SELECT password_hash FROM user_account WHERE username = 'ops'", String.class);
			assertThat(PasswordEncoderFactories.createDelegatingPasswordEncoder().matches(password, hash)).isTrue();
			// Printed once on standard output, and in no log line.
			assertThat(output.getAll().split(java.util.regex.Pattern.quote(password), -1)).hasSize(2);

			// An existing username is refused.
			assertThat(AuthServerApplication.runCommand(args.toArray(String[]::new))).isOne();
		}
	}

	private static ConfigurableApplicationContext start(TestDatabaseSchema schema, int port, String... extra) {
		List<String> args = new ArrayList<>(List.of(schema.datasourceArguments()));
		args.addAll(List.of("--server.port=" + port, "--authserver.issuer=http://localhost:" + port));
		args.addAll(List.of(extra));
		return new SpringApplicationBuilder(AuthServerApplication.class).profiles("test")
			.run(args.toArray(String[]::new));
	}

	private static List<String> admins(TestDatabaseSchema schema) {
		return schema.jdbc()
			.queryForList("SELECT u.username FROM user_account u JOIN user_role r ON r.user_account_id = u.id "
					+ "WHERE r.role = 'ADMIN'", String.class);
	}

}
