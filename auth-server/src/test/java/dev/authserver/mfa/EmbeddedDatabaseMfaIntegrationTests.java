package dev.authserver.mfa;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.authserver.AuthServerApplication;
import dev.authserver.Browser;
import dev.authserver.IntegrationTestSupport;
import dev.authserver.sessions.UserSessions;
import dev.authserver.users.UserAccount;
import dev.authserver.users.UserAccounts;
import dev.authserver.users.UserGroups;
import dev.authserver.users.UserPasswordChanged;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SQL of TOTP, recovery codes, groups and sessions also runs on the embedded H2 database (PostgreSQL mode) of
 * the quick start.
 */
class EmbeddedDatabaseMfaIntegrationTests {

	@TempDir
	Path dataDir;

	@Test
	void whenEmbeddedDatabaseThenTotpGroupsAndSessionsWork() throws Exception {
		int port = IntegrationTestSupport.freePort();
		String issuer = "http://localhost:" + port;
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(AuthServerApplication.class)
			.profiles("dev")
			.run("--server.port=" + port, "--authserver.issuer=" + issuer, "--authserver.data-dir=" + this.dataDir,
					"--server.servlet.session.cookie.secure=false")) {
			UserAccount account = context.getBean(UserAccounts.class)
				.create("h2-" + UUID.randomUUID().toString().substring(0, 8), null, false, null,
						"a-long-enough-password-for-h2");

			TotpCredentials totp = context.getBean(TotpCredentials.class);
			TotpCredentials.PendingEnrolment enrolment = totp.startEnrolment(account.id());
			AuthenticatorApp app = new AuthenticatorApp(enrolment.secret());
			List<String> recoveryCodes = totp.confirm(account.id(), enrolment.id(), app.codeAt(Instant.now()))
				.orElseThrow();
			assertThat(totp.isEnrolled(account.id())).isTrue();
			String next = app.codeAt(Instant.now().plusSeconds(30));
			assertThat(totp.verify(account.id(), next)).isTrue();
			assertThat(totp.verify(account.id(), next)).isFalse();
			assertThat(totp.verify(account.id(), recoveryCodes.get(0))).isTrue();
			assertThat(totp.verify(account.id(), recoveryCodes.get(0))).isFalse();

			UserGroups groups = context.getBean(UserGroups.class);
			groups.setRoles("h2-group", List.of("READER"), null);
			groups.addMember("h2-group", account.id(), null);
			groups.addMember("h2-group", account.id(), null);
			assertThat(groups.rolesOf(account.id())).containsExactly("READER");
			assertThat(groups.groupsOf(account.id())).containsExactly("h2-group");

			Browser browser = new Browser();
			browser.signIn(issuer, account.username(), "a-long-enough-password-for-h2");
			assertThat(Browser.location(browser.get(issuer + "/"), issuer)).isEqualTo(issuer + "/login/totp");
			UserSessions sessions = context.getBean(UserSessions.class);
			assertThat(sessions.list(account.id(), null)).hasSize(1);
			context.publishEvent(new UserPasswordChanged(account.id(), "reset", null, Instant.now()));
			assertThat(sessions.list(account.id(), null)).isEmpty();
			assertThat(Browser.location(browser.get(issuer + "/"), issuer)).isEqualTo(issuer + "/login");
		}
	}

}
