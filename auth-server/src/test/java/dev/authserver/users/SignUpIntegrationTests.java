package dev.authserver.users;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.authserver.Browser;
import dev.authserver.MailIntegrationTestSupport;
import dev.authserver.TestUserAccounts;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sign-up: mail, verification link, sign-in; one answer whether or not the address has an account; links that work
 * once, for their own purpose only, and not after they expire.
 */
class SignUpIntegrationTests extends MailIntegrationTestSupport {

	private static final String PASSWORD = "tangerine kayak orbit 77";

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private AccountTokenPurge purge;

	@Test
	void whenPersonSignsUpAndFollowsTheMailedLinkThenTheyCanSignIn() {
		String email = newAddress();
		Browser browser = new Browser();

		HttpResponse<String> signUp = signUp(browser, email);

		assertThat(signUp.statusCode()).isEqualTo(302);
		assertThat(Browser.location(signUp, ISSUER)).isEqualTo(ISSUER + "/check-mail");
		assertThat(browser.get(ISSUER + "/check-mail").body()).contains("Check your mail");
		assertThat(this.accounts.findByLogin(email)).as("no account before verification").isEmpty();
		// Not verified yet: no way in.
		assertThat(Browser.location(new Browser().signIn(ISSUER, email, PASSWORD), ISSUER))
			.isEqualTo(ISSUER + "/login?error");

		MimeMessage message = onlyMailTo(email);
		assertThat(subjectOf(message)).contains("Auth Server").contains("Confirm your email");
		assertThat(htmlText(message)).contains("Confirm my email address");
		String link = linkIn(message);
		assertThat(link).startsWith(ISSUER + "/signup/verify?token=");
		HttpResponse<String> verified = AccountForms.submit(browser, ISSUER, link, "verify-form",
				Map.of("password", PASSWORD));

		assertThat(Browser.location(verified, ISSUER)).isEqualTo(ISSUER + "/login?verified");
		UserAccount account = this.accounts.findByLogin(email).orElseThrow();
		assertThat(account.emailVerified()).isTrue();
		assertThat(account.name()).isEqualTo("Grace Hopper");
		assertThat(Browser.location(new Browser().signIn(ISSUER, email, PASSWORD), ISSUER)).isEqualTo(ISSUER + "/");
		assertThat(auditCount("user.registered", account.id())).isEqualTo(1);
		assertThat(auditCount("user.email_verified", account.id())).isEqualTo(1);
		// The link worked once.
		HttpResponse<String> again = new Browser().get(link);
		assertThat(again.body()).contains("This link is not valid");
	}

	@Test
	void signUpWhenAddressAlreadyHasAnAccountThenSameAnswerAndTheOwnerIsTold() {
		TestUserAccounts.Created existing = newUser();
		String existingEmail = existing.account().email();
		String newEmail = newAddress();

		HttpResponse<String> forExisting = signUp(new Browser(), existingEmail.toUpperCase());
		HttpResponse<String> forNew = signUp(new Browser(), newEmail);

		assertThat(forExisting.statusCode()).isEqualTo(forNew.statusCode()).isEqualTo(302);
		assertThat(Browser.location(forExisting, ISSUER)).isEqualTo(Browser.location(forNew, ISSUER));
		assertThat(AccountForms.withoutCsrf(forExisting.body())).isEqualTo(AccountForms.withoutCsrf(forNew.body()));
		MimeMessage toOwner = onlyMailTo(existingEmail);
		assertThat(subjectOf(toOwner)).contains("You already have an account");
		assertThat(linkIn(toOwner)).isEqualTo(ISSUER + "/password/forgot");
		// The owner's account is untouched: the old password still works.
		assertThat(Browser.location(new Browser().signIn(ISSUER, existingEmail, existing.password()), ISSUER))
			.isEqualTo(ISSUER + "/");
	}

	@Test
	void verifyWhenPasswordBreaksThePolicyThenRefusedWithReasonsAndTheLinkStillWorks() {
		String email = newAddress();
		signUp(new Browser(), email);
		String link = linkIn(onlyMailTo(email));
		for (String password : new String[] { "short", "password1234", "qwertyuiop123",
				email.substring(0, email.indexOf('@')) + "!!" }) {
			HttpResponse<String> answer = AccountForms.submit(new Browser(), ISSUER, link, "verify-form",
					Map.of("password", password));
			assertThat(answer.statusCode()).as(password).isEqualTo(200);
			assertThat(answer.body()).as(password).contains("alert-error");
		}
		assertThat(this.accounts.findByLogin(email)).isEmpty();

		HttpResponse<String> verified = AccountForms.submit(new Browser(), ISSUER, link, "verify-form",
				Map.of("password", PASSWORD));

		assertThat(Browser.location(verified, ISSUER)).isEqualTo(ISSUER + "/login?verified");
		assertThat(Browser.location(new Browser().signIn(ISSUER, email, PASSWORD), ISSUER)).isEqualTo(ISSUER + "/");
	}

	@Test
	void whenAttackerSignsUpWithTheVictimsAddressAndTheVictimFollowsTheLinkThenTheVictimChoosesThePassword() {
		String victim = newAddress();
		String attackerPassword = "attacker chosen secret 1";
		// The attacker asks for an account at the victim's address; the form takes no password any more, and one
		// posted anyway is ignored.
		HttpResponse<String> attackerSignUp = AccountForms.submit(new Browser(), ISSUER, ISSUER + "/signup",
				"sign-up-form", Map.of("email", victim, "name", "Mallory", "password", attackerPassword));
		assertThat(Browser.location(attackerSignUp, ISSUER)).isEqualTo(ISSUER + "/check-mail");
		assertThat(this.jdbc.queryForObject(
				"SELECT count(*) FROM account_token WHERE email = ? AND password_hash IS NOT NULL", Integer.class,
				victim)).as("no password is stored with a pending sign-up").isZero();
		// The victim signs up too, and gets two mails: she follows the attacker's one.
		signUp(new Browser(), victim);
		List<MimeMessage> mails = mailsTo(victim, 2);
		String attackersLink = linkIn(mails.get(0));
		String victimsLink = linkIn(mails.get(1));
		Browser victimsBrowser = new Browser();
		HttpResponse<String> page = victimsBrowser.get(attackersLink);
		assertThat(page.body()).contains("type=\"password\"").contains(victim);

		HttpResponse<String> verified = AccountForms.submit(victimsBrowser, ISSUER, page, "verify-form",
				Map.of("name", "Grace Hopper", "password", PASSWORD));

		assertThat(Browser.location(verified, ISSUER)).isEqualTo(ISSUER + "/login?verified");
		UserAccount account = this.accounts.findByLogin(victim).orElseThrow();
		assertThat(account.name()).isEqualTo("Grace Hopper");
		assertThat(Browser.location(new Browser().signIn(ISSUER, victim, attackerPassword), ISSUER))
			.as("the attacker's password does not open the account")
			.isEqualTo(ISSUER + "/login?error");
		assertThat(Browser.location(new Browser().signIn(ISSUER, victim, PASSWORD), ISSUER)).isEqualTo(ISSUER + "/");
		// The other link to the address is dead, and cannot set another password.
		assertThat(new Browser().get(victimsLink).body()).contains("This link is not valid");
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM account_token WHERE email = ?", Integer.class,
				victim)).isZero();
	}

	@Test
	void verifyWhenTokenIsExpiredForeignOrMadeUpThenRefused() {
		String email = newAddress();
		signUp(new Browser(), email);
		String link = linkIn(onlyMailTo(email));
		String token = link.substring(link.indexOf("token=") + "token=".length());
		this.jdbc.update("UPDATE account_token SET expires_at = created_at WHERE token_digest = ?",
				AccountTokens.digest(token));

		assertThat(new Browser().get(link).body()).contains("This link is not valid");
		assertThat(new Browser().get(ISSUER + "/signup/verify?token=" + "A".repeat(43)).body())
			.contains("This link is not valid");
		assertThat(new Browser().get(ISSUER + "/signup/verify?token=%00%27").statusCode()).isLessThan(500);
		// A reset link's token is no sign-up token.
		TestUserAccounts.Created user = newUser();
		AccountForms.submit(new Browser(), ISSUER, ISSUER + "/password/forgot", "forgot-form",
				Map.of("email", user.account().email()));
		String resetLink = linkIn(onlyMailTo(user.account().email()));
		String resetToken = resetLink.substring(resetLink.indexOf("token=") + "token=".length());
		assertThat(new Browser().get(ISSUER + "/signup/verify?token=" + resetToken).body())
			.contains("This link is not valid");
		assertThat(this.accounts.findByLogin(email)).isEmpty();
	}

	@Test
	void signUpWhenAddressIsTakenThenAnswersInAboutTheSameTime() {
		TestUserAccounts.Created existing = newUser();

		// The password is hashed either way: without that, a taken address would answer ~100 times faster. The
		// factor of 3 leaves room for a busy CI machine.
		long takenMedian = medianMillis(() -> signUp(new Browser(), existing.account().email()));
		long newMedian = medianMillis(() -> signUp(new Browser(), newAddress()));

		assertThat(takenMedian).isGreaterThanOrEqualTo(newMedian / 3).isLessThanOrEqualTo(newMedian * 3);
	}

	@Test
	void purgeWhenSignUpWasNeverVerifiedThenItIsDeletedAfterItExpires() {
		String email = newAddress();
		signUp(new Browser(), email);
		mailsTo(email, 1);
		this.jdbc.update("UPDATE account_token SET expires_at = created_at WHERE email = ?", email);

		this.purge.purge();

		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM account_token WHERE email = ?", Integer.class,
				email)).isZero();
	}

	@Test
	void devMailboxWhenNotInTheDevProfileThenNotServed() {
		TestUserAccounts.Created user = newUser();
		Browser browser = new Browser();
		browser.signIn(ISSUER, user.username(), user.password());

		assertThat(browser.get(ISSUER + "/dev/mail").statusCode()).isEqualTo(404);
	}

	@Test
	void loginPageWhenSignUpIsEnabledThenOffersSignUpAndReset() {
		HttpResponse<String> login = new Browser().get(ISSUER + "/login");

		assertThat(login.body()).contains("/signup").contains("/password/forgot");
	}

	private HttpResponse<String> signUp(Browser browser, String email) {
		return AccountForms.submit(browser, ISSUER, ISSUER + "/signup", "sign-up-form",
				Map.of("email", email, "name", "Grace Hopper"));
	}

	private int auditCount(String type, UUID principal) {
		return this.jdbc.queryForObject("SELECT count(*) FROM audit_event WHERE type = ? AND principal = ?",
				Integer.class, type, principal.toString());
	}

	private static long medianMillis(Runnable attempt) {
		List<Long> times = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			long start = System.nanoTime();
			attempt.run();
			times.add((System.nanoTime() - start) / 1_000_000);
		}
		Collections.sort(times);
		return times.get(times.size() / 2);
	}

	private static String newAddress() {
		return "new-" + UUID.randomUUID().toString().substring(0, 12) + "@example.com";
	}

}
