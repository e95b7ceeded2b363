package dev.authserver.mfa;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.authserver.Browser;
import dev.authserver.IntegrationTestSupport;
import dev.authserver.TestUserAccounts;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad and hostile input on the MFA and sessions pages gets a clear answer, never a 5xx; and one TOTP code sent by
 * several sessions at once is accepted once.
 */
class MfaBadInputIntegrationTests extends IntegrationTestSupport {

	@Autowired
	private TotpCredentials totp;

	@Test
	void whenInputIsMalformedThenClearAnswersAndNoServerError() {
		TestUserAccounts.Created user = newUser();
		Browser browser = new Browser();
		browser.signIn(ISSUER, user.username(), user.password());
		String csrf = Browser.csrfToken(Jsoup.parse(browser.get(ISSUER + "/account/security").body()));

		// Nothing to scan before an enrolment has started.
		assertThat(browser.get(ISSUER + "/account/security/totp/qr.svg").statusCode()).isEqualTo(404);
		assertThat(Browser.location(browser.get(ISSUER + "/account/security/totp"), ISSUER))
			.isEqualTo(ISSUER + "/account/security");
		for (String value : List.of("", "x".repeat(10_000), "%%%", "\u0000", "not base64 !")) {
			assertNotServerError(browser.postForm(ISSUER + "/account/security/passkeys/delete",
					List.of(Map.entry("credential_id", value), Map.entry("_csrf", csrf))));
			assertNotServerError(browser.postForm(ISSUER + "/account/security/totp/confirm",
					List.of(Map.entry("code", value), Map.entry("_csrf", csrf))));
			assertNotServerError(browser.postForm(ISSUER + "/account/sessions/end",
					List.of(Map.entry("session", value), Map.entry("_csrf", csrf))));
			assertNotServerError(browser.postForm(ISSUER + "/account/sessions/withdraw",
					List.of(Map.entry("client_id", value), Map.entry("_csrf", csrf))));
			assertNotServerError(browser.postForm(ISSUER + "/login/totp",
					List.of(Map.entry("code", value), Map.entry("_csrf", csrf))));
		}
		assertNotServerError(browser.postJson(ISSUER + "/webauthn/register", "{not json", csrf));
		assertNotServerError(new Browser().postJson(ISSUER + "/login/webauthn", "{\"id\": 5}", csrf));
	}

	@Test
	void whenSameCodeSentByParallelSessionsThenAcceptedOnce() throws Exception {
		TestUserAccounts.Created user = newUser();
		TotpCredentials.PendingEnrolment enrolment = this.totp.startEnrolment(user.account().id());
		AuthenticatorApp app = new AuthenticatorApp(enrolment.secret());
		assertThat(this.totp.confirm(user.account().id(), enrolment.id(), app.codeAt(Instant.now()))).isPresent();
		String code = app.codeAt(Instant.now().plusSeconds(30));
		List<Browser> browsers = List.of(new Browser(), new Browser(), new Browser(), new Browser());
		List<String> tokens = browsers.stream().map((browser) -> {
			browser.signIn(ISSUER, user.username(), user.password());
			return Browser.csrfToken(Jsoup.parse(browser.get(ISSUER + "/login/totp").body()));
		}).toList();

		List<CompletableFuture<String>> answers = new ArrayList<>();
		for (int i = 0; i < browsers.size(); i++) {
			Browser browser = browsers.get(i);
			String token = tokens.get(i);
			answers.add(CompletableFuture.supplyAsync(() -> Browser.location(browser.postForm(ISSUER + "/login/totp",
					List.of(Map.entry("code", code), Map.entry("_csrf", token))), ISSUER)));
		}

		List<String> locations = answers.stream().map(CompletableFuture::join).toList();
		assertThat(locations).filteredOn((location) -> location.equals(ISSUER + "/")).hasSize(1);
		assertThat(locations).filteredOn((location) -> location.endsWith("/login/totp?error")).hasSize(3);
	}

	private static void assertNotServerError(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isLessThan(500);
		assertThat(response.body()).doesNotContain("Exception").doesNotContain("at org.");
	}

}
