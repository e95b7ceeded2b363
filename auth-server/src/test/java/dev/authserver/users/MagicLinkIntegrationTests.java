package dev.authserver.users;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.authserver.AuthServerApplication;
import dev.authserver.Browser;
import dev.authserver.MailIntegrationTestSupport;
import dev.authserver.TestUserAccounts;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Magic link sign-in: off by default; when on, a mailed link signs in once, as the account (its id is the
 * principal), and a request for an unknown login gets the same answer and no mail. Sign-up can be turned off.
 */
class MagicLinkIntegrationTests extends MailIntegrationTestSupport {

	private static final int MAGIC_PORT = freePort();

	private static final String MAGIC = "http://localhost:" + MAGIC_PORT;

	private static ConfigurableApplicationContext server;

	// Both non-default account settings on one extra server (a start costs seconds): magic links on, sign-up off.
	@BeforeAll
	static void startServerWithMagicLinks() {
		// Command-line arguments: builder properties are defaults that the configuration files override.
		server = new SpringApplicationBuilder(AuthServerApplication.class).profiles("test")
			.run("--server.port=" + MAGIC_PORT, "--authserver.issuer=" + MAGIC, "--spring.mail.host=127.0.0.1",
					"--spring.mail.port=" + SMTP_PORT, "--authserver.users.magic-link-enabled=true",
					"--authserver.users.sign-up-enabled=false");
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Test
	void magicLinkWhenNotEnabledThenNotOffered() {
		assertThat(new Browser().get(ISSUER + "/login/magic-link").statusCode()).isEqualTo(404);
		assertThat(new Browser().get(ISSUER + "/login").body()).doesNotContain("/login/magic-link");
	}

	@Test
	void signUpWhenDisabledThenNotOfferedAndNotServed() {
		assertThat(new Browser().get(MAGIC + "/login").body()).doesNotContain("/signup");
		assertThat(new Browser().get(MAGIC + "/signup").statusCode()).isEqualTo(404);
		Browser browser = new Browser();
		String csrf = Browser.csrfToken(Jsoup.parse(browser.get(MAGIC + "/login").body()));
		HttpResponse<String> post = browser.postForm(MAGIC + "/signup", List.of(Map.entry("_csrf", csrf),
				Map.entry("email", "someone@example.com"), Map.entry("password", "tangerine kayak orbit 77")));
		assertThat(post.statusCode()).isEqualTo(404);
	}

	@Test
	void whenPersonSignsInWithAMagicLinkThenItWorksOnceAndAsTheirAccount() {
		TestUserAccounts.Created user = TestUserAccounts.userAccount().create(server.getBean(UserAccounts.class));
		assertThat(new Browser().get(MAGIC + "/login").body()).contains("/login/magic-link");

		HttpResponse<String> requested = AccountForms.submit(new Browser(), MAGIC, MAGIC + "/login/magic-link",
				"magic-link-form", Map.of("username", user.account().email()));

		assertThat(Browser.location(requested, MAGIC)).isEqualTo(MAGIC + "/check-mail");
		String text = plainText(onlyMailTo(user.account().email()));
		String link = text.substring(text.indexOf(MAGIC + "/login/ott?token=")).split("\\s")[0];
		Browser browser = new Browser();
		HttpResponse<String> signedIn = AccountForms.submit(browser, MAGIC, link, "ott-form", Map.of());
		assertThat(Browser.location(signedIn, MAGIC)).isEqualTo(MAGIC + "/");
		assertThat(browser.get(MAGIC + "/").body()).contains(user.username());
		JdbcTemplate jdbc = server.getBean(JdbcTemplate.class);
		assertThat(jdbc.queryForObject(
				"SELECT count(*) FROM audit_event WHERE type = 'user.magic_link_sign_in' AND principal = ?",
				Integer.class, user.subject())).isEqualTo(1);
		// Only a digest is stored, and the used token is gone.
		String token = link.substring(link.indexOf("token=") + "token=".length());
		assertThat(jdbc.queryForObject("SELECT count(*) FROM account_token WHERE token_digest = ? OR token_digest = ?",
				Integer.class, token, AccountTokens.digest(token))).isZero();

		HttpResponse<String> again = AccountForms.submit(new Browser(), MAGIC, link, "ott-form", Map.of());
		assertThat(Browser.location(again, MAGIC)).isEqualTo(MAGIC + "/login?invalid-link");
		// The password form is unchanged next to it.
		assertThat(Browser.location(new Browser().signIn(MAGIC, user.username(), user.password()), MAGIC))
			.isEqualTo(MAGIC + "/");
	}

	@Test
	void magicLinkWhenLoginIsUnknownThenSameAnswerAndNoMail() {
		TestUserAccounts.Created user = TestUserAccounts.userAccount().create(server.getBean(UserAccounts.class));
		String unknown = "nobody-" + UUID.randomUUID() + "@example.com";

		HttpResponse<String> forKnown = AccountForms.submit(new Browser(), MAGIC, MAGIC + "/login/magic-link",
				"magic-link-form", Map.of("username", user.account().email()));
		HttpResponse<String> forUnknown = AccountForms.submit(new Browser(), MAGIC, MAGIC + "/login/magic-link",
				"magic-link-form", Map.of("username", unknown));

		assertThat(forKnown.statusCode()).isEqualTo(forUnknown.statusCode()).isEqualTo(302);
		assertThat(Browser.location(forKnown, MAGIC)).isEqualTo(Browser.location(forUnknown, MAGIC));
		assertThat(AccountForms.withoutCsrf(forKnown.body())).isEqualTo(AccountForms.withoutCsrf(forUnknown.body()));
		mailsTo(user.account().email(), 1);
		assertThat(mail.getReceivedMessagesForDomain(unknown)).isEmpty();
		assertThat(Browser.location(
				AccountForms.submit(new Browser(), MAGIC, MAGIC + "/login/ott?token=" + "B".repeat(43), "ott-form",
						Map.of()),
				MAGIC)).isEqualTo(MAGIC + "/login?invalid-link");
	}

}
