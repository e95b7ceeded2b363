package dev.authserver.federation;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.authserver.Browser;
import dev.authserver.CallbackParameters;
import dev.authserver.TestUserAccounts;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The account page: profile, connected providers, "connect" and "disconnect", and the refusal to disconnect the last
 * way to sign in.
 */
class AccountPageIntegrationTests extends FederationIntegrationTestSupport {

	@Test
	void whenSignedInUserConnectsAndDisconnectsGitHubThenAccountPageShowsIt() {
		TestUserAccounts.Created user = newUser();
		Browser browser = new Browser();
		browser.signIn(ISSUER, user.username(), user.password());
		Document page = accountPage(browser);
		assertThat(page.getElementById("profile").text()).contains(user.username()).contains(user.account().email());
		assertThat(page.getElementById("no-connected")).isNotNull();
		long gitHubId = newGitHubId();

		String next = connect(browser, page, "github",
				gitHub(ProviderStandIns.GitHubUser.withVerifiedEmail(gitHubId, "ada-gh", uniqueEmail("other"))));

		assertThat(next).isEqualTo(ISSUER + "/account?connected=github");
		assertThat(identity("github", String.valueOf(gitHubId))).singleElement()
			.extracting((row) -> row.get("user_account_id"))
			.isEqualTo(user.account().id());
		page = accountPage(browser);
		Element row = page.selectFirst("#connected tr[data-provider=GitHub]");
		assertThat(row).isNotNull();
		assertThat(row.text()).contains("ada-gh").contains("UTC");
		assertThat(page.getElementById("connect-github")).isNull();
		assertThat(auditEvents("federation.linked", "github " + gitHubId + " (connected)")).isEqualTo(1);

		HttpResponse<String> disconnected = browser.postForm(ISSUER + row.selectFirst("form").attr("action"),
				Browser.formFields(row.selectFirst("form")));

		assertThat(Browser.location(disconnected, ISSUER)).isEqualTo(ISSUER + "/account?disconnected");
		assertThat(identity("github", String.valueOf(gitHubId))).isEmpty();
		assertThat(auditEvents("federation.unlinked", "github " + gitHubId)).isEqualTo(1);
	}

	@Test
	void whenFederatedOnlyUserDisconnectsTheirOnlyProviderThenRefused() {
		long gitHubId = newGitHubId();
		Browser browser = new Browser();
		assertThat(signIn(browser, "github",
				gitHub(ProviderStandIns.GitHubUser.withVerifiedEmail(gitHubId, "solo", uniqueEmail("solo")))))
			.isEqualTo(ISSUER + "/");
		Document page = accountPage(browser);
		Element row = page.selectFirst("#connected tr[data-provider=GitHub]");

		HttpResponse<String> refused = browser.postForm(ISSUER + row.selectFirst("form").attr("action"),
				Browser.formFields(row.selectFirst("form")));

		assertThat(Browser.location(refused, ISSUER)).isEqualTo(ISSUER + "/account?refused=last-method");
		assertThat(Jsoup.parse(browser.get(Browser.location(refused, ISSUER)).body())
			.getElementById("account-last-method")).isNotNull();
		assertThat(identity("github", String.valueOf(gitHubId))).hasSize(1);
		assertThat(auditEvents("federation.link_refused", "github " + gitHubId + ": last_sign_in_method"))
			.isEqualTo(1);
	}

	@Test
	void whenConnectingAProviderIdentityLinkedToAnotherAccountThenRefused() {
		long gitHubId = newGitHubId();
		ProviderStandIns.GitHubUser taken = ProviderStandIns.GitHubUser.withVerifiedEmail(gitHubId, "taken",
				uniqueEmail("taken"));
		signIn(new Browser(), "github", gitHub(taken));
		TestUserAccounts.Created user = newUser();
		Browser browser = new Browser();
		browser.signIn(ISSUER, user.username(), user.password());

		String next = connect(browser, accountPage(browser), "github", gitHub(taken));

		assertThat(next).isEqualTo(ISSUER + "/federation/error?error=linked_to_another_account");
		assertThat(identitiesOf(user.account().id())).isEmpty();
	}

	@Test
	void whenDisconnectingAnotherPersonsIdentityThenNothingHappens() {
		long gitHubId = newGitHubId();
		signIn(new Browser(), "github",
				gitHub(ProviderStandIns.GitHubUser.withVerifiedEmail(gitHubId, "victim", uniqueEmail("victim"))));
		Object identityId = identity("github", String.valueOf(gitHubId)).get(0).get("id");
		TestUserAccounts.Created attacker = newUser();
		Browser browser = new Browser();
		browser.signIn(ISSUER, attacker.username(), attacker.password());
		Document page = accountPage(browser);

		HttpResponse<String> response = browser.postForm(ISSUER + "/account/disconnect/" + identityId,
				List.of(Map.entry("_csrf", Browser.csrfToken(page))));

		assertThat(response.statusCode()).isEqualTo(302);
		assertThat(identity("github", String.valueOf(gitHubId))).hasSize(1);
	}

	private static Document accountPage(Browser browser) {
		HttpResponse<String> response = browser.get(ISSUER + "/account");
		assertThat(response.statusCode()).isEqualTo(200);
		return Jsoup.parse(response.body());
	}

	/** Clicks "Connect ..." on the account page and goes through the provider; returns where we sent the browser. */
	private static String connect(Browser browser, Document accountPage, String registrationId,
			ProviderAnswer answer) {
		Element form = accountPage.getElementById("connect-" + registrationId);
		assertThat(form).isNotNull();
		HttpResponse<String> started = browser.postForm(ISSUER + form.attr("action"), Browser.formFields(form));
		assertThat(Browser.location(started, ISSUER)).isEqualTo(ISSUER + "/oauth2/authorization/" + registrationId);
		CallbackParameters request = startAt(browser, registrationId);
		String code = "code-" + UUID.randomUUID();
		answer.accept(code, request.get("nonce"));
		HttpResponse<String> response = callback(browser, registrationId, code, request.get("state"));
		assertThat(response.statusCode()).isEqualTo(302);
		return Browser.location(response, ISSUER);
	}

}
