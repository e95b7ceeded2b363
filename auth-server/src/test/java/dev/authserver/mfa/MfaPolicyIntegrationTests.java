package dev.authserver.mfa;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.authserver.AuthServerApplication;
import dev.authserver.Browser;
import dev.authserver.IntegrationTestSupport;
import dev.authserver.TestUserAccounts;
import dev.authserver.users.UserRoles;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code authserver.mfa.required=admins}: an admin who signs in with a password must set up an authenticator before
 * anything else opens; other people sign in as before.
 */
class MfaPolicyIntegrationTests extends IntegrationTestSupport {

	private static final int ADMINS_PORT = freePort();

	private static final String ADMINS_ISSUER = "http://localhost:" + ADMINS_PORT;

	private static ConfigurableApplicationContext adminsServer;

	@Autowired
	private UserRoles roles;

	@BeforeAll
	static void startServerRequiringMfaForAdmins() {
		adminsServer = new SpringApplicationBuilder(AuthServerApplication.class).profiles("test")
			.run("--server.port=" + ADMINS_PORT, "--authserver.issuer=" + ADMINS_ISSUER,
					"--authserver.mfa.required=admins");
	}

	@AfterAll
	static void stopServer() {
		if (adminsServer != null) {
			adminsServer.close();
		}
	}

	@Test
	void whenAdminSignsInWithPasswordThenMustSetUpAuthenticatorFirst() {
		TestUserAccounts.Created admin = newUser();
		this.roles.grant(admin.account().id(), UserRoles.ADMIN, null);
		Browser browser = new Browser();
		browser.signIn(ADMINS_ISSUER, admin.username(), admin.password());

		HttpResponse<String> home = browser.get(ADMINS_ISSUER + "/");
		assertThat(Browser.location(home, ADMINS_ISSUER)).isEqualTo(ADMINS_ISSUER + "/account/security?required");
		assertThat(Browser.location(browser.get(ADMINS_ISSUER + "/account/sessions"), ADMINS_ISSUER))
			.isEqualTo(ADMINS_ISSUER + "/account/security?required");
		Document security = Jsoup.parse(browser.get(ADMINS_ISSUER + "/account/security?required").body());
		assertThat(security.getElementById("totp-start")).isNotNull();

		browser.postForm(ADMINS_ISSUER + "/account/security/totp/start",
				Browser.formFields(security.getElementById("totp-start")));
		Document enrol = Jsoup.parse(browser.get(ADMINS_ISSUER + "/account/security/totp").body());
		AuthenticatorApp app = new AuthenticatorApp(enrol.getElementById("totp-secret").text());
		List<Map.Entry<String, String>> fields = new ArrayList<>(
				Browser.formFields(enrol.getElementById("totp-confirm")));
		fields.removeIf((field) -> field.getKey().equals("code"));
		fields.add(Map.entry("code", app.codeAt(Instant.now())));
		HttpResponse<String> confirmed = browser.postForm(ADMINS_ISSUER + "/account/security/totp/confirm", fields);

		assertThat(confirmed.statusCode()).isEqualTo(200);
		// The person has just shown a code: the session has its second factor, and goes on to the page it asked for.
		assertThat(Jsoup.parse(confirmed.body()).getElementById("continue").attr("href"))
			.isEqualTo("/account/sessions");
		assertThat(browser.get(ADMINS_ISSUER + "/").statusCode()).isEqualTo(200);
		assertThat(browser.get(ADMINS_ISSUER + "/account/sessions").statusCode()).isEqualTo(200);
	}

	@Test
	void whenNonAdminSignsInWithPasswordThenNoSecondFactorAsked() {
		TestUserAccounts.Created user = newUser();
		Browser browser = new Browser();

		assertThat(Browser.location(browser.signIn(ADMINS_ISSUER, user.username(), user.password()), ADMINS_ISSUER))
			.isEqualTo(ADMINS_ISSUER + "/");
		assertThat(browser.get(ADMINS_ISSUER + "/").statusCode()).isEqualTo(200);
	}

}
