package dev.authserver.federation;

import java.util.List;

import dev.authserver.AuthServerApplication;
import dev.authserver.Browser;
import dev.authserver.IntegrationTestSupport;
import dev.authserver.OidcTestClient;
import dev.authserver.TestRegisteredClients;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server with no Google or GitHub client id: no buttons, no provider endpoints, and {@code idp_hint} falls back to
 * the login page. A server of its own, since the registrations are made at start-up.
 */
class FederationNotConfiguredIntegrationTests {

	@Test
	void whenNoProviderIsConfiguredThenNoneIsOffered() {
		int port = IntegrationTestSupport.freePort();
		String issuer = "http://localhost:" + port;
		List<String> args = List.of("--server.port=" + port, "--authserver.issuer=" + issuer);
		// Command-line arguments, because builder properties are defaults that the configuration file overrides.
		try (ConfigurableApplicationContext server = new SpringApplicationBuilder(AuthServerApplication.class)
			.profiles("test")
			.run(args.toArray(String[]::new))) {
			Browser browser = new Browser();
			Document login = Jsoup.parse(browser.get(issuer + "/login").body());
			assertThat(login.getElementById("sign-in-with-github")).isNull();
			assertThat(login.getElementById("sign-in-with-google")).isNull();
			assertThat(login.select("a[href^=/oauth2/authorization/]")).isEmpty();

			assertThat(Browser.location(browser.get(issuer + "/oauth2/authorization/github"), issuer))
				.isEqualTo(issuer + "/login");
			RegisteredClient client = TestRegisteredClients.confidentialClient().build();
			server.getBean(RegisteredClientRepository.class).save(client);
			String request = new OidcTestClient(issuer, client, TestRegisteredClients.secretOf(client))
				.authorizationRequest(TestRegisteredClients.REDIRECT_URI, "openid")
				.uri();
			assertThat(Browser.location(new Browser().get(request + "&idp_hint=github"), issuer))
				.isEqualTo(issuer + "/login");
		}
	}

}
