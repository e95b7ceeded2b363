package dev.authserver.federation;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import dev.authserver.Browser;
import dev.authserver.CallbackParameters;
import dev.authserver.OidcTestClient;
import dev.authserver.TestUserAccounts;
import dev.authserver.users.UserAccount;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sign-in with GitHub and Google end to end, and the linking rules: first sign-in creates and links an account, later
 * ones land in it whatever the provider renamed, a verified email of an existing account needs proof, and every way
 * of taking over an account through a provider fails.
 */
class FederatedSignInIntegrationTests extends FederationIntegrationTestSupport {

	@Test
	void whenUserLogsInWithGitHubTwiceThenOneAccountIsCreatedLinkedAndKeptAcrossRenames() {
		long gitHubId = newGitHubId();
		String email = uniqueEmail("octo");
		ProviderStandIns.GitHubUser user = ProviderStandIns.GitHubUser.withVerifiedEmail(gitHubId,
				"octo-" + gitHubId, email);
		OidcTestClient rp = newRelyingParty();

		IDTokenClaimsSet first = idTokenAfterAuthorizing(new Browser(), rp, "github", gitHub(user));
		IDTokenClaimsSet second = idTokenAfterAuthorizing(new Browser(), rp, "github",
				gitHub(user.login("renamed-" + gitHubId)));

		String subject = first.getSubject().getValue();
		assertThat(second.getSubject().getValue()).isEqualTo(subject);
		UserAccount account = this.accounts.findById(UUID.fromString(subject)).orElseThrow();
		assertThat(account.email()).isEqualTo(email);
		assertThat(account.emailVerified()).isTrue();
		assertThat(account.passwordHash()).isNull();
		List<Map<String, Object>> identities = identitiesOf(account.id());
		assertThat(identities).hasSize(1);
		assertThat(identities.get(0)).containsEntry("registration_id", "github")
			.containsEntry("subject", String.valueOf(gitHubId))
			.containsEntry("login", "renamed-" + gitHubId);
		// Claims come from our record, never from the provider: the username stays the one it was created with.
		assertThat(second.getStringClaim("preferred_username")).isEqualTo(account.username());
		assertThat(auditEvents("federation.account_created", "github " + gitHubId)).isEqualTo(1);
		assertThat(auditEvents("federation.linked", "github " + gitHubId + " (created)")).isEqualTo(1);
		assertThat(auditEvents("federation.sign_in", "github " + gitHubId)).isEqualTo(2);
	}

	@Test
	void whenUserLogsInWithGitHubThenRequestsCarryStateAndPkce() {
		Browser browser = new Browser();
		ProviderStandIns.GitHubUser user = ProviderStandIns.GitHubUser.withVerifiedEmail(newGitHubId(), "pkce",
				uniqueEmail("pkce"));
		CallbackParameters request = startAt(browser, "github");
		String code = "code-" + UUID.randomUUID();
		providers.gitHubUser(code, user);

		HttpResponse<String> response = callback(browser, "github", code, request.get("state"));

		assertThat(Browser.location(response, ISSUER)).isEqualTo(ISSUER + "/");
		assertThat(request.get("state")).isNotBlank();
		assertThat(request.get("code_challenge_method")).isEqualTo("S256");
		assertThat(request.get("redirect_uri")).isEqualTo(ISSUER + "/login/oauth2/code/github");
		assertThat(request.get("scope")).isEqualTo("read:user user:email");
		List<LoggedRequest> tokenRequests = providers.server
			.findAll(postRequestedFor(urlPathEqualTo("/github/token")).withRequestBody(containing("code=" + code)));
		assertThat(tokenRequests).hasSize(1);
		String verifier = CallbackParameters.parse("http://x/?" + tokenRequests.get(0).getBodyAsString())
			.get("code_verifier");
		assertThat(verifier).isNotNull();
		assertThat(pkceMatches(request.get("code_challenge"), verifier)).isTrue();
	}

	@Test
	void whenUserLogsInWithGoogleTwiceWithAChangedEmailThenSameAccount() {
		String subject = "google-" + UUID.randomUUID();
		OidcTestClient rp = newRelyingParty();

		String first = subjectAfterAuthorizing(new Browser(), rp, "google",
				google(subject, uniqueEmail("grace"), true));
		String second = subjectAfterAuthorizing(new Browser(), rp, "google",
				google(subject, uniqueEmail("grace-new"), true));

		assertThat(second).isEqualTo(first);
		assertThat(identity("google", subject)).hasSize(1);
	}

	@Test
	void whenPasswordUserProvesOwnershipThenGitHubIsLinkedAndBothGiveTheSameSubject() {
		TestUserAccounts.Created local = newUser();
		long gitHubId = newGitHubId();
		ProviderStandIns.GitHubUser user = ProviderStandIns.GitHubUser.withVerifiedEmail(gitHubId, "ada-gh",
				local.account().email());
		Browser browser = new Browser();

		assertThat(signIn(browser, "github", gitHub(user))).isEqualTo(ISSUER + FederationController.LINK_PATH);
		// Nothing is linked, and nobody is signed in, before the proof.
		assertThat(identity("github", String.valueOf(gitHubId))).isEmpty();
		assertThat(Browser.location(browser.get(ISSUER + "/account"), ISSUER)).isEqualTo(ISSUER + "/login");
		Document page = Jsoup.parse(browser.get(ISSUER + FederationController.LINK_PATH).body());
		assertThat(page.text()).contains("This email already has an account").contains(local.account().email());

		HttpResponse<String> proof = browser.postForm(ISSUER + "/login",
				List.of(Map.entry("username", local.username()), Map.entry("password", local.password()),
						Map.entry("_csrf", Browser.csrfToken(page))));
		String next = Browser.location(proof, ISSUER);
		assertThat(next).startsWith(ISSUER + FederationController.COMPLETE_LINK_PATH);
		assertThat(Browser.location(browser.get(next), ISSUER)).isEqualTo(ISSUER + "/");

		assertThat(identity("github", String.valueOf(gitHubId))).singleElement()
			.extracting((row) -> row.get("user_account_id"))
			.isEqualTo(local.account().id());
		assertThat(auditEvents("federation.link_refused", "github " + gitHubId + ": proof_required")).isEqualTo(1);
		assertThat(auditEvents("federation.linked", "github " + gitHubId + " (proven)")).isEqualTo(1);
		// From now on GitHub and the password sign in as the same subject.
		OidcTestClient rp = newRelyingParty();
		assertThat(subjectAfterAuthorizing(new Browser(), rp, "github", gitHub(user))).isEqualTo(local.subject());
		OidcTestClient.Authorized authorized = rp.authorize(new Browser(), dev.authserver.TestRegisteredClients.REDIRECT_URI,
				"openid", local);
		assertThat(rp.validate(OidcTestClient.success(rp.exchange(authorized.code(), authorized.request()))
			.getOIDCTokens()
			.getIDToken(), authorized.request().nonce()).getSubject().getValue()).isEqualTo(local.subject());
	}

	@Test
	void whenProofStartedWithOneIdentityAndAnotherArrivesThenOnlyTheLatestIsLinked() {
		TestUserAccounts.Created local = newUser();
		long first = newGitHubId();
		long second = newGitHubId();
		Browser browser = new Browser();

		assertThat(signIn(browser, "github", gitHub(ProviderStandIns.GitHubUser.withVerifiedEmail(first, "first",
				local.account().email())))).isEqualTo(ISSUER + FederationController.LINK_PATH);
		assertThat(signIn(browser, "github", gitHub(ProviderStandIns.GitHubUser.withVerifiedEmail(second, "second",
				local.account().email())))).isEqualTo(ISSUER + FederationController.LINK_PATH);
		HttpResponse<String> proof = browser.signIn(ISSUER, local.username(), local.password());
		browser.get(Browser.location(proof, ISSUER));

		assertThat(identity("github", String.valueOf(first))).isEmpty();
		assertThat(identity("github", String.valueOf(second))).singleElement()
			.extracting((row) -> row.get("user_account_id"))
			.isEqualTo(local.account().id());
	}

	@Test
	void whenAccountWithoutPasswordProvesOwnershipWithItsLinkedProviderThenSecondProviderIsLinked() {
		String email = uniqueEmail("nopassword");
		String googleSubject = "google-" + UUID.randomUUID();
		Browser browser = new Browser();
		assertThat(signIn(browser, "google", google(googleSubject, email, true))).isEqualTo(ISSUER + "/");
		UUID account = (UUID) identity("google", googleSubject).get(0).get("user_account_id");
		long gitHubId = newGitHubId();
		Browser other = new Browser();

		assertThat(signIn(other, "github",
				gitHub(ProviderStandIns.GitHubUser.withVerifiedEmail(gitHubId, "np", email))))
			.isEqualTo(ISSUER + FederationController.LINK_PATH);
		assertThat(Jsoup.parse(other.get(ISSUER + FederationController.LINK_PATH).body())
			.getElementById("sign-in-with-google")).isNotNull();
		assertThat(signIn(other, "google", google(googleSubject, email, true))).isEqualTo(ISSUER + "/");

		assertThat(identity("github", String.valueOf(gitHubId))).singleElement()
			.extracting((row) -> row.get("user_account_id"))
			.isEqualTo(account);
	}

	@Test
	void whenProofIsFinishedByAnotherAccountThenNothingIsLinked() {
		TestUserAccounts.Created owner = newUser();
		TestUserAccounts.Created other = newUser();
		long gitHubId = newGitHubId();
		Browser browser = new Browser();
		signIn(browser, "github",
				gitHub(ProviderStandIns.GitHubUser.withVerifiedEmail(gitHubId, "x", owner.account().email())));

		HttpResponse<String> proof = browser.signIn(ISSUER, other.username(), other.password());
		String completed = Browser.location(browser.get(Browser.location(proof, ISSUER)), ISSUER);

		assertThat(completed).isEqualTo(ISSUER + "/federation/error?error=other_account_signed_in");
		assertThat(identity("github", String.valueOf(gitHubId))).isEmpty();
		assertThat(auditEvents("federation.link_refused", "github " + gitHubId + ": other_account_signed_in"))
			.isEqualTo(1);
	}

	@Test
	void whenProviderEmailIsUnverifiedThenItMatchesNoAccountAndANewOneIsCreated() {
		TestUserAccounts.Created local = newUser();
		String googleSubject = "google-" + UUID.randomUUID();

		String subject = subjectAfterAuthorizing(new Browser(), newRelyingParty(), "google",
				google(googleSubject, local.account().email(), false));

		assertThat(subject).isNotEqualTo(local.subject());
		assertThat(identitiesOf(local.account().id())).isEmpty();
		UserAccount created = this.accounts.findById(UUID.fromString(subject)).orElseThrow();
		assertThat(created.email()).isNull();
	}

	@Test
	void whenGitHubPublicEmailIsUnverifiedInUserEmailsThenItMatchesNoAccount() {
		TestUserAccounts.Created local = newUser();
		long gitHubId = newGitHubId();
		String email = local.account().email();
		ProviderStandIns.GitHubUser user = new ProviderStandIns.GitHubUser(gitHubId, "mallory", "Mallory", email,
				List.of(Map.of("email", email, "primary", true, "verified", false, "visibility", "public")));

		String subject = subjectAfterAuthorizing(new Browser(), newRelyingParty(), "github", gitHub(user));

		assertThat(subject).isNotEqualTo(local.subject());
		assertThat(identitiesOf(local.account().id())).isEmpty();
	}

	@Test
	void whenGitHubPrimaryEmailIsNoreplyThenItMatchesNoAccount() {
		long gitHubId = newGitHubId();
		String noreply = gitHubId + "+nora@users.noreply.github.com";
		UserAccount local = this.accounts.create("nora-" + gitHubId, noreply, true, "Nora", "a long password 123");

		String subject = subjectAfterAuthorizing(new Browser(), newRelyingParty(), "github",
				gitHub(ProviderStandIns.GitHubUser.withVerifiedEmail(gitHubId, "nora", noreply)));

		assertThat(subject).isNotEqualTo(local.id().toString());
	}

	@Test
	void whenGoogleAutoLinkAndBothEmailsVerifiedThenLinkedWithoutProof() {
		TestUserAccounts.Created local = newUser();
		String googleSubject = "google-" + UUID.randomUUID();

		String subject = subjectAfterAuthorizing(new Browser(), newRelyingParty(), "google",
				google(googleSubject, local.account().email(), true));

		assertThat(subject).isEqualTo(local.subject());
		assertThat(auditEvents("federation.linked", "google " + googleSubject + " (auto)")).isEqualTo(1);
	}

	@Test
	void whenGoogleAutoLinkButLocalEmailUnverifiedThenProofIsRequired() {
		String email = uniqueEmail("unverified");
		UserAccount local = this.accounts.create("u-" + UUID.randomUUID().toString().substring(0, 8), email, false,
				"Local", "a long password 123");
		String googleSubject = "google-" + UUID.randomUUID();

		String next = signIn(new Browser(), "google", google(googleSubject, email, true));

		assertThat(next).isEqualTo(ISSUER + FederationController.LINK_PATH);
		assertThat(identity("google", googleSubject)).isEmpty();
		assertThat(identitiesOf(local.id())).isEmpty();
	}

	@Test
	void whenAccountWasCreatedFromAProviderVerifiedEmailThenAnotherProvidersAutoLinkDoesNotTrustIt() {
		// Someone arrives first through GitHub with an address GitHub calls verified: a just-in-time account.
		String email = uniqueEmail("first-arrival");
		long gitHubId = newGitHubId();
		String created = subjectAfterAuthorizing(new Browser(), newRelyingParty(), "github",
				gitHub(ProviderStandIns.GitHubUser.withVerifiedEmail(gitHubId, "first-" + gitHubId, email)));
		UserAccount account = this.accounts.findById(UUID.fromString(created)).orElseThrow();
		// The provider's word still makes the address verified (the email_verified claim), but not verified by us.
		assertThat(account.emailVerified()).isTrue();
		assertThat(account.emailVerifiedLocally()).isFalse();
		String googleSubject = "google-" + UUID.randomUUID();

		// Google auto-link is on: a Google identity with the same verified address must not join that account.
		String next = signIn(new Browser(), "google", google(googleSubject, email, true));

		assertThat(next).isEqualTo(ISSUER + FederationController.LINK_PATH);
		assertThat(identity("google", googleSubject)).isEmpty();
		assertThat(identitiesOf(account.id())).hasSize(1);
		assertThat(auditEvents("federation.linked", "google " + googleSubject + " (auto)")).isZero();
	}

	@Test
	void whenGoogleAccountIsOutsideTheAllowedHostedDomainsThenRefused() {
		String googleSubject = "google-" + UUID.randomUUID();
		ProviderAnswer otherDomain = (code, nonce) -> providers.googleToken(code, providers.sign(providers
			.googleClaims(googleSubject, uniqueEmail("outsider"), true, nonce)
			.claim("hd", "evil.example")
			.build()));

		String next = signIn(new Browser(), "google", otherDomain);

		assertThat(next).isEqualTo(ISSUER + "/federation/error?error=hosted_domain_not_allowed");
		assertThat(identity("google", googleSubject)).isEmpty();
	}

	@Test
	void whenAuthorizationRequestHasUnknownIdpHintThenLoginPage() {
		OidcTestClient rp = newRelyingParty();
		String request = rp.authorizationRequest(dev.authserver.TestRegisteredClients.REDIRECT_URI, "openid").uri();

		HttpResponse<String> response = new Browser().get(request + "&idp_hint=facebook");

		assertThat(Browser.location(response, ISSUER)).isEqualTo(ISSUER + "/login");
	}

	@Test
	void loginPageWhenProvidersConfiguredThenShowsTheirButtons() {
		Document page = Jsoup.parse(new Browser().get(ISSUER + "/login").body());

		assertThat(page.getElementById("sign-in-with-google").attr("href")).isEqualTo("/oauth2/authorization/google");
		assertThat(page.getElementById("sign-in-with-github").attr("href")).isEqualTo("/oauth2/authorization/github");
		assertThat(page.getElementById("sign-in-with-github").text()).isEqualTo("Sign in with GitHub");
	}

}
