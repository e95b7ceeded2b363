package dev.authserver.admin;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.authserver.Browser;
import dev.authserver.IntegrationTestSupport;
import dev.authserver.TestUserAccounts;
import dev.authserver.mfa.AuthenticatorApp;
import dev.authserver.mfa.TotpCredentials;
import dev.authserver.users.UserRoles;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin console over HTTP: only admins get in, its forms need the CSRF token, and its user, key and audit pages
 * act and record who acted, from where.
 */
class AdminConsoleIntegrationTests extends IntegrationTestSupport {

	static final List<String> PAGES = List.of("/admin", "/admin/clients", "/admin/clients/new", "/admin/users",
			"/admin/keys", "/admin/audit");

	@Autowired
	UserRoles roles;

	@Autowired
	JdbcTemplate jdbc;

	@Autowired
	TotpCredentials totp;

	@Test
	void whenNotSignedInOrNotAnAdminThenTheConsoleIsClosed() {
		Browser anonymous = new Browser();
		for (String page : PAGES) {
			HttpResponse<String> answer = anonymous.get(ISSUER + page);
			assertThat(answer.statusCode()).as(page).isEqualTo(302);
			assertThat(Browser.location(answer, ISSUER)).as(page).endsWith("/login");
		}
		TestUserAccounts.Created user = newUser();
		Browser signedIn = new Browser();
		signedIn.signIn(ISSUER, user.username(), user.password());
		for (String page : PAGES) {
			assertThat(signedIn.get(ISSUER + page).statusCode()).as(page).isEqualTo(403);
		}
		String csrf = Browser.csrfToken(Jsoup.parse(signedIn.get(ISSUER + "/").body()));
		assertThat(signedIn.postForm(ISSUER + "/admin/keys/rotate", List.of(Map.entry("_csrf", csrf))).statusCode())
			.isEqualTo(403);
		assertThat(signedIn.postForm(ISSUER + "/admin/users/" + user.subject() + "/admin/grant",
				List.of(Map.entry("_csrf", csrf)))
			.statusCode()).isEqualTo(403);
		assertThat(this.roles.rolesOf(user.account().id())).doesNotContain(UserRoles.ADMIN);
	}

	@Test
	void whenAdminDisablesAUserThenTheUserCannotSignInAndTheAuditSaysWhoFromWhere() {
		Admin admin = admin();
		TestUserAccounts.Created user = newUser();
		Document users = admin.page("/admin/users?q=" + user.username());
		assertThat(users.getElementById("users").text()).contains(user.username());

		// Without the CSRF token the console refuses.
		assertThat(admin.browser().postForm(ISSUER + "/admin/users/" + user.subject() + "/disable", List.of())
			.statusCode()).isEqualTo(403);
		HttpResponse<String> disabled = admin.post("/admin/users/" + user.subject() + "/disable");
		assertThat(disabled.statusCode()).isEqualTo(302);

		HttpResponse<String> refused = new Browser().signIn(ISSUER, user.username(), user.password());
		assertThat(Browser.location(refused, ISSUER)).contains("/login?error");
		Map<String, Object> event = this.jdbc.queryForMap(
				"SELECT actor, remote_address FROM audit_event WHERE type = 'user.disabled_by_admin' AND principal = ?",
				user.subject());
		assertThat(event.get("actor")).isEqualTo(admin.user().subject());
		assertThat((String) event.get("remote_address")).isNotBlank();

		admin.post("/admin/users/" + user.subject() + "/enable");
		assertThat(Browser.location(new Browser().signIn(ISSUER, user.username(), user.password()), ISSUER))
			.doesNotContain("error");

		admin.post("/admin/users/" + user.subject() + "/admin/grant");
		assertThat(this.roles.rolesOf(user.account().id())).contains(UserRoles.ADMIN);
		admin.post("/admin/users/" + user.subject() + "/admin/revoke");
		assertThat(this.roles.rolesOf(user.account().id())).doesNotContain(UserRoles.ADMIN);
		Document detail = admin.page("/admin/users/" + user.subject());
		assertThat(detail.getElementById("linked-providers").text()).contains("No Google or GitHub identity");
		this.jdbc.update("""
				INSERT INTO federated_identity (id, registration_id, subject, user_account_id, email, email_verified,
				login, linked_at, last_login_at)
				VALUES (?, 'github', ?, ?, 'octo@example.com', true, 'octo-admin-view', now(), now())
				""", UUID.randomUUID(), "gh-" + UUID.randomUUID(), user.account().id());
		assertThat(admin.page("/admin/users/" + user.subject()).getElementById("linked-providers").text())
			.contains("github", "octo-admin-view", "octo@example.com");

		// An admin cannot lock themselves out by a slip.
		assertThat(admin.post("/admin/users/" + admin.user().subject() + "/disable").statusCode()).isEqualTo(409);
		assertThat(admin.post("/admin/users/" + admin.user().subject() + "/admin/revoke").statusCode())
			.isEqualTo(409);
	}

	@Test
	void whenAdminRotatesTheSigningKeyThenTheKeyPageShowsTheNewKeyAndTheAuditRecordsIt() {
		Admin admin = admin();
		int before = admin.page("/admin/keys").select("#keys tbody tr").size();

		assertThat(admin.post("/admin/keys/rotate").statusCode()).isEqualTo(302);

		Document keys = admin.page("/admin/keys?rotated");
		assertThat(keys.select("#keys tbody tr").size()).isGreaterThan(before);
		assertThat(keys.text()).contains("PENDING");
		assertThat(this.jdbc.queryForObject(
				"SELECT count(*) FROM audit_event WHERE type = 'key.rotation_requested' AND actor = ?", Long.class,
				admin.user().subject())).isEqualTo(1);
	}

	@Test
	void whenSomeoneSignsInOrFailsThenTheAuditLogHasItWithoutThePasswordAndTheConsoleFiltersIt() {
		TestUserAccounts.Created user = newUser();
		new Browser().signIn(ISSUER, user.username(), "wrong password 123");
		new Browser().signIn(ISSUER, "correct horse battery staple", "whatever");
		new Browser().signIn(ISSUER, user.username(), user.password());

		List<Map<String, Object>> events = this.jdbc.queryForList(
				"SELECT type, actor, principal, remote_address, detail FROM audit_event WHERE principal = ? "
						+ "ORDER BY occurred_at",
				user.subject());
		assertThat(events).extracting((event) -> event.get("type"))
			.containsExactly("user.sign_in_failed", "user.signed_in");
		assertThat(events).allSatisfy((event) -> assertThat((String) event.get("remote_address")).isNotBlank());
		// A password typed into the username field is never recorded.
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM audit_event WHERE detail LIKE ? OR principal LIKE ?"
				+ " OR actor LIKE ?", Long.class, "%horse battery%", "%horse battery%", "%horse battery%")).isZero();

		Admin admin = admin();
		Document filtered = admin.page("/admin/audit?user=" + user.subject() + "&type=user.signed_in");
		assertThat(filtered.select("#audit tbody tr")).hasSize(1);
		Document bad = admin.page("/admin/audit?from=yesterday");
		assertThat(bad.text()).contains("ISO-8601");
	}

	@Test
	void whenAdminRoleIsRevokedOrAccountDisabledThenAnOpenSessionLosesAccessAtOnce() {
		Admin revoked = admin();
		assertThat(revoked.browser().get(ISSUER + "/admin/clients").statusCode()).isEqualTo(200);
		this.roles.revoke(revoked.user().account().id(), UserRoles.ADMIN, null);
		assertThat(revoked.browser().get(ISSUER + "/admin/clients").statusCode()).isEqualTo(403);
		assertThat(revoked.browser()
			.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(ISSUER + "/api/admin/clients")))
			.statusCode()).isEqualTo(403);

		Admin disabled = admin();
		assertThat(disabled.browser().get(ISSUER + "/admin/users").statusCode()).isEqualTo(200);
		this.accounts.setEnabled(disabled.user().account().id(), false);
		// Disabling ends the account's sessions: the console sends the browser to sign in again.
		HttpResponse<String> afterDisabling = disabled.browser().get(ISSUER + "/admin/users");
		assertThat(afterDisabling.statusCode()).isEqualTo(302);
		assertThat(Browser.location(afterDisabling, ISSUER)).isEqualTo(ISSUER + "/login");
	}

	@Test
	void whenConsoleGetsBadInputThenItAnswersWithoutServerErrors() {
		Admin admin = admin();
		for (String path : List.of("/admin/users/not-a-uuid", "/admin/users/00000000-0000-0000-0000-000000000000",
				"/admin/clients/" + "x".repeat(3000), "/admin/clients/%27%20OR%201=1--", "/admin/clients?page=-5",
				"/admin/clients?page=abc", "/admin/users?q=%27%20OR%201=1--", "/admin/users?q=" + "q".repeat(1000),
				"/admin/audit?user=" + "u".repeat(1000), "/admin/audit?to=2026-13-45")) {
			int status = admin.browser().get(ISSUER + path).statusCode();
			assertThat(status).as(path.length() > 60 ? path.substring(0, 60) : path).isBetween(200, 499);
		}
		String csrf = Browser.csrfToken(admin.page("/admin/clients/new"));
		HttpResponse<String> invalid = admin.browser()
			.postForm(ISSUER + "/admin/clients",
					List.of(Map.entry("_csrf", csrf), Map.entry("clientName", "x'); DROP TABLE user_account; --"),
							Map.entry("tokenEndpointAuthMethod", "password"), Map.entry("grantTypes", "implicit"),
							Map.entry("scopes", "payments"), Map.entry("redirectUris", "http://evil.example/cb#x")));
		assertThat(invalid.statusCode()).isEqualTo(400);
		assertThat(Jsoup.parse(invalid.body()).getElementById("violations").text()).contains("grant_types",
				"token_endpoint_auth_method", "scopes", "redirect_uris[0]");
		assertThat(admin.browser()
			.postForm(ISSUER + "/admin/clients/nope/secret",
					List.of(Map.entry("_csrf", csrf), Map.entry("gracePeriodSeconds", "-1")))
			.statusCode()).isEqualTo(400);
		assertThat(admin.browser()
			.postForm(ISSUER + "/admin/clients/nope/secret",
					List.of(Map.entry("_csrf", csrf), Map.entry("gracePeriodSeconds", "soon")))
			.statusCode()).isEqualTo(400);
	}

	@Test
	void whenAdminManagesRolesGroupsAndPasswordChangeThenTheUserPageAndTheAuditShowIt() {
		Admin admin = admin();
		TestUserAccounts.Created user = newUser();
		String base = "/admin/users/" + user.subject();

		assertThat(Browser.location(admin.post(base + "/roles/grant", "role", "editor"), ISSUER))
			.endsWith("?roleGranted");
		assertThat(Browser.location(admin.post(base + "/groups/add", "group", "staff-console"), ISSUER))
			.endsWith("?groupAdded");
		assertThat(Browser.location(admin.post(base + "/roles/grant", "role", "not a role'; --"), ISSUER))
			.endsWith("?invalidRole");
		assertThat(Browser.location(admin.post(base + "/groups/add", "group", "x".repeat(5000)), ISSUER))
			.endsWith("?invalidGroup");
		assertThat(Browser.location(admin.post(base + "/password/require-change"), ISSUER))
			.endsWith("?passwordChangeRequired");

		Document detail = admin.page(base);
		assertThat(detail.getElementById("user-roles").text()).contains("EDITOR");
		assertThat(detail.getElementById("user-groups").text()).contains("staff-console");
		assertThat(detail.getElementById("user-password").text()).contains("must be changed");
		assertThat(this.jdbc.queryForObject(
				"SELECT count(*) FROM audit_event WHERE principal = ? AND actor = ? AND type IN "
						+ "('user.role_granted', 'group.member_added', 'user.password_change_required')",
				Integer.class, user.subject(), admin.user().subject())).isEqualTo(3);
		// The person is sent to choose a new password before anything else.
		Browser person = new Browser();
		person.signIn(ISSUER, user.username(), user.password());
		assertThat(Browser.location(person.get(ISSUER + "/"), ISSUER)).isEqualTo(ISSUER + "/account/password");

		assertThat(Browser.location(admin.post(base + "/roles/revoke", "role", "EDITOR"), ISSUER))
			.endsWith("?roleRevoked");
		assertThat(Browser.location(admin.post(base + "/groups/remove", "group", "staff-console"), ISSUER))
			.endsWith("?groupRemoved");
		detail = admin.page(base);
		assertThat(detail.getElementById("user-roles").text()).doesNotContain("EDITOR");
		assertThat(detail.getElementById("user-groups").text()).doesNotContain("staff-console");
		// The admin role keeps its guard: nobody drops their own through the generic form.
		assertThat(admin.post("/admin/users/" + admin.user().subject() + "/roles/revoke", "role", "admin").statusCode())
			.isEqualTo(409);
	}

	@Test
	void whenAdminStillOwesTheSecondFactorThenTheApiRefusesTheSession() {
		TestUserAccounts.Created user = newUser();
		this.roles.grant(user.account().id(), UserRoles.ADMIN, null);
		TotpCredentials.PendingEnrolment enrolment = this.totp.startEnrolment(user.account().id());
		AuthenticatorApp app = new AuthenticatorApp(enrolment.secret());
		assertThat(this.totp.confirm(user.account().id(), enrolment.id(), app.codeAt(Instant.now()))).isPresent();
		Browser browser = new Browser();
		browser.signIn(ISSUER, user.username(), user.password());
		// The second-step page is open and carries the session's CSRF token: it must not open the admin API.
		String csrf = Browser.csrfToken(Jsoup.parse(browser.get(ISSUER + "/login/totp").body()));

		assertThat(browser.get(ISSUER + "/api/admin/audit").statusCode()).isIn(401, 403);
		assertThat(browser.get(ISSUER + "/api/admin/clients").statusCode()).isIn(401, 403);
		assertThat(browser.postJson(ISSUER + "/api/admin/registration-tokens", "{}", csrf).statusCode()).isIn(401,
				403);
		assertThat(Browser.location(browser.get(ISSUER + "/admin"), ISSUER)).isEqualTo(ISSUER + "/login/totp");

		HttpResponse<String> verified = browser.postForm(ISSUER + "/login/totp",
				List.of(Map.entry("code", app.codeAt(Instant.now().plusSeconds(30))), Map.entry("_csrf", csrf)));
		assertThat(verified.statusCode()).isEqualTo(302);
		assertThat(browser.getWithHeader(ISSUER + "/api/admin/audit", "Accept", "application/json").statusCode())
			.isEqualTo(200);
	}

	@Test
	void whenAccountIsDisabledThenItsOpenSessionsEndAtOnce() {
		TestUserAccounts.Created user = newUser();
		Browser browser = new Browser();
		browser.signIn(ISSUER, user.username(), user.password());
		assertThat(browser.get(ISSUER + "/account").statusCode()).isEqualTo(200);

		this.accounts.setEnabled(user.account().id(), false);

		HttpResponse<String> after = browser.get(ISSUER + "/account");
		assertThat(after.statusCode()).isEqualTo(302);
		assertThat(Browser.location(after, ISSUER)).isEqualTo(ISSUER + "/login");
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM spring_session WHERE principal_name = ?",
				Integer.class, user.subject())).isZero();
	}

	private Admin admin() {
		TestUserAccounts.Created user = newUser();
		this.roles.grant(user.account().id(), UserRoles.ADMIN, null);
		Browser browser = new Browser();
		browser.signIn(ISSUER, user.username(), user.password());
		return new Admin(user, browser);
	}

	record Admin(TestUserAccounts.Created user, Browser browser) {

		Document page(String path) {
			HttpResponse<String> answer = this.browser.get(ISSUER + path);
			assertThat(answer.statusCode()).as(path).isEqualTo(200);
			return Jsoup.parse(answer.body());
		}

		HttpResponse<String> post(String path) {
			String csrf = Browser.csrfToken(page("/admin/keys"));
			return this.browser.postForm(ISSUER + path, List.of(Map.entry("_csrf", csrf)));
		}

		HttpResponse<String> post(String path, String name, String value) {
			String csrf = Browser.csrfToken(page("/admin/keys"));
			return this.browser.postForm(ISSUER + path, List.of(Map.entry("_csrf", csrf), Map.entry(name, value)));
		}

	}

}
