package dev.authserver.federation;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.authserver.AuthServerApplication;
import dev.authserver.Browser;
import dev.authserver.CallbackParameters;
import dev.authserver.IntegrationTestSupport;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With sign-up disabled ({@code authserver.users.sign-up-enabled=false}), a new person signing in with a provider
 * gets a page that says so, and no account is created. A server of its own, since the setting is read at start-up.
 */
class FederatedSignUpDisabledIntegrationTests {

	private static final ProviderStandIns providers = ProviderStandIns.shared();

	@Test
	void whenNewPersonSignsInWithGitHubAndSignUpIsDisabledThenClearPageAndNoAccount() {
		int port = IntegrationTestSupport.freePort();
		String issuer = "http://localhost:" + port;
		List<String> args = new ArrayList<>(List.of("--server.port=" + port, "--authserver.issuer=" + issuer,
				"--authserver.users.sign-up-enabled=false"));
		providers.settings().forEach((key, value) -> args.add("--" + key + "=" + value));
		// Command-line arguments, because builder properties are defaults that the configuration file overrides.
		try (ConfigurableApplicationContext server = new SpringApplicationBuilder(AuthServerApplication.class)
			.profiles("test")
			.run(args.toArray(String[]::new))) {
			JdbcTemplate jdbc = server.getBean(JdbcTemplate.class);
			long gitHubId = FederationIntegrationTestSupport.newGitHubId();
			String login = "newbie-" + gitHubId;
			Browser browser = new Browser();
			HttpResponse<String> started = browser.get(issuer + "/oauth2/authorization/github");
			CallbackParameters request = CallbackParameters.parse(Browser.location(started, issuer));
			String code = "code-" + UUID.randomUUID();
			providers.gitHubUser(code, ProviderStandIns.GitHubUser.withVerifiedEmail(gitHubId, login,
					FederationIntegrationTestSupport.uniqueEmail("newbie")));

			HttpResponse<String> response = browser
				.get(issuer + "/login/oauth2/code/github?code=" + code + "&state=" + request.get("state"));

			String next = Browser.location(response, issuer);
			assertThat(next).isEqualTo(issuer + "/federation/error?error=sign_up_disabled");
			assertThat(Jsoup.parse(browser.get(next).body()).getElementById("federation-error").text())
				.contains("new accounts cannot be created here");
			assertThat(jdbc.queryForObject("SELECT count(*) FROM federated_identity WHERE subject = ?", Long.class,
					String.valueOf(gitHubId))).isZero();
			assertThat(jdbc.queryForObject("SELECT count(*) FROM user_account WHERE username = ?", Long.class, login))
				.isZero();
			assertThat(jdbc.queryForObject(
					"SELECT count(*) FROM audit_event WHERE type = 'federation.link_refused' AND detail = ?", Long.class,
					"github " + gitHubId + ": sign_up_disabled")).isEqualTo(1);
		}
	}

}
