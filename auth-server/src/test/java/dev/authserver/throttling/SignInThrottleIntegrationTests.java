package dev.authserver.throttling;

import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.authserver.AuthServerApplication;
import dev.authserver.Browser;
import dev.authserver.MailIntegrationTestSupport;
import dev.authserver.TestUserAccounts;
import dev.authserver.users.UserAccounts;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Throttling with the production limits (a server of its own: the shared test server does not throttle): wrong
 * passwords in a row and in parallel are slowed and then locked, unknown logins are treated exactly like known ones,
 * and the owner gets back in when the lock expires or after a password reset.
 */
class SignInThrottleIntegrationTests extends MailIntegrationTestSupport {

	private static final int THROTTLED_PORT = freePort();

	private static final String THROTTLED = "http://localhost:" + THROTTLED_PORT;

	private static ConfigurableApplicationContext server;

	private JdbcTemplate jdbc;

	private UserAccounts throttledAccounts;

	@BeforeAll
	static void startServerWithProductionLimits() {
		// Command-line arguments: builder properties are defaults that the configuration files override.
		server = new SpringApplicationBuilder(AuthServerApplication.class).profiles("test")
			.run("--server.port=" + THROTTLED_PORT, "--authserver.issuer=" + THROTTLED,
					"--spring.mail.host=127.0.0.1", "--spring.mail.port=" + SMTP_PORT,
					"--authserver.throttling.delay-after=3", "--authserver.throttling.lock-after=10",
					"--authserver.throttling.address-delay-after=20", "--authserver.throttling.address-lock-after=100");
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	// Every test signs in from 127.0.0.1: each starts with no counts.
	@BeforeEach
	void forgetCounts() {
		this.jdbc = server.getBean(JdbcTemplate.class);
		this.throttledAccounts = server.getBean(UserAccounts.class);
		this.jdbc.update("DELETE FROM sign_in_throttle");
	}

	@Test
	void signInWhenWrongPasswordsInARowThenSlowedThenLockedAndTheOwnerGetsInWhenTheLockExpires() {
		TestUserAccounts.Created user = TestUserAccounts.userAccount().create(this.throttledAccounts);
		String unknown = "nobody-" + UUID.randomUUID();

		List<String> known = wrongPasswordsThenRightOne(user.username(), user.password());
		List<String> forUnknown = wrongPasswordsThenRightOne(unknown, "whatever-password");

		// 3 back to back; the 4th at once is slowed, the right password included.
		assertThat(known.subList(0, 3)).containsOnly("/login?error");
		assertThat(known.get(3)).isEqualTo("/login?throttled");
		// After waiting, up to the 10th; then locked, the right password included.
		assertThat(known.subList(4, 11)).containsOnly("/login?error");
		assertThat(known.get(11)).isEqualTo("/login?throttled");
		// An unknown login gets exactly the same answers: the throttle tells nothing about who has an account.
		assertThat(forUnknown).isEqualTo(known);
		assertThat(this.jdbc.queryForObject(
				"SELECT count(*) FROM audit_event WHERE type = 'user.locked_out' AND principal = ?", Integer.class,
				user.subject())).isEqualTo(1);

		this.jdbc.update("UPDATE sign_in_throttle SET locked_until = ? WHERE locked_until IS NOT NULL",
				Timestamp.from(Instant.now().minusSeconds(1)));
		assertThat(signIn(user.username(), user.password())).isEqualTo("/");
	}

	@Test
	void signInWhenWrongPasswordsArriveInParallelThenOnlyAFewAreChecked() throws Exception {
		TestUserAccounts.Created user = TestUserAccounts.userAccount().create(this.throttledAccounts);
		ExecutorService executor = Executors.newFixedThreadPool(20);
		List<String> answers = new ArrayList<>();
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<String>> futures = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				Callable<String> attempt = () -> {
					start.await(10, TimeUnit.SECONDS);
					return signIn(user.username(), "wrong-password-" + UUID.randomUUID());
				};
				futures.add(executor.submit(attempt));
			}
			start.countDown();
			for (Future<String> future : futures) {
				answers.add(future.get(60, TimeUnit.SECONDS));
			}
		}
		finally {
			executor.shutdownNow();
		}

		assertThat(answers).containsOnly("/login?error", "/login?throttled");
		// 3 back to back, and at most one more if the burst spread over the first delay.
		long checked = answers.stream().filter("/login?error"::equals).count();
		assertThat(checked).isBetween(3L, 4L);
		// Every checked attempt was counted: no update lost to a parallel one. (Whether the right password is held
		// back now depends on how long the burst took on a loaded machine; the sequential tests cover that.)
		assertThat(this.jdbc.queryForObject(
				"SELECT attempts FROM sign_in_throttle WHERE throttle_key LIKE 'password:account:%'", Integer.class))
			.isEqualTo((int) checked);
	}

	@Test
	void lockedAccountWhenTheOwnerResetsTheirPasswordThenTheySignIn() {
		TestUserAccounts.Created user = TestUserAccounts.userAccount().create(this.throttledAccounts);
		List<String> answers = wrongPasswordsThenRightOne(user.username(), user.password());
		assertThat(answers.get(11)).isEqualTo("/login?throttled");

		Browser browser = new Browser();
		HttpResponse<String> forgot = browser.get(THROTTLED + "/password/forgot");
		Element form = Jsoup.parse(forgot.body()).getElementById("forgot-form");
		List<Map.Entry<String, String>> fields = new ArrayList<>(Browser.formFields(form));
		fields.removeIf((field) -> field.getKey().equals("email"));
		fields.add(Map.entry("email", user.account().email()));
		browser.postForm(THROTTLED + "/password/forgot", fields);
		String link = linkTo(THROTTLED, mailsTo(user.account().email(), 1).get(0));
		HttpResponse<String> resetPage = browser.get(link);
		Element resetForm = Jsoup.parse(resetPage.body()).getElementById("reset-form");
		List<Map.Entry<String, String>> resetFields = new ArrayList<>();
		for (Map.Entry<String, String> field : Browser.formFields(resetForm)) {
			if (!field.getKey().equals("password")) {
				resetFields.add(field);
			}
		}
		resetFields.add(Map.entry("password", "mauve lighthouse spoon 42"));
		assertThat(Browser.location(browser.postForm(THROTTLED + "/password/reset", resetFields), THROTTLED))
			.isEqualTo(THROTTLED + "/login?reset");

		assertThat(signIn(user.username(), "mauve lighthouse spoon 42")).isEqualTo("/");
	}

	@Test
	void checkWhenOneAddressTriesManyAccountsThenTheAddressIsSlowed() {
		SignInThrottle throttle = server.getBean(SignInThrottle.class);
		String address = "203.0.113." + (int) (Math.random() * 200);

		for (int i = 0; i < 20; i++) {
			assertThat(throttle.check("password", UUID.randomUUID().toString(), address).allowed()).isTrue();
		}

		assertThat(throttle.check("password", UUID.randomUUID().toString(), address).allowed()).isFalse();
		assertThat(throttle.check("password", UUID.randomUUID().toString(), "198.51.100.7").allowed()).isTrue();
	}

	/** 12 attempts: 11 wrong passwords (waiting out each delay after the 4th), then the right one. */
	private List<String> wrongPasswordsThenRightOne(String login, String rightPassword) {
		List<String> answers = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			answers.add(signIn(login, "wrong-password-" + i));
		}
		answers.add(signIn(login, rightPassword));
		for (int i = 4; i < 11; i++) {
			waitOutTheDelay();
			answers.add(signIn(login, "wrong-password-" + i));
		}
		waitOutTheDelay();
		answers.add(signIn(login, rightPassword));
		return answers;
	}

	// Instead of sleeping up to a minute: the last attempt happened long enough ago.
	private void waitOutTheDelay() {
		this.jdbc.update("UPDATE sign_in_throttle SET last_attempt_at = ?",
				Timestamp.from(Instant.now().minusSeconds(120)));
	}

	private static String signIn(String login, String password) {
		HttpResponse<String> answer = new Browser().signIn(THROTTLED, login, password);
		assertThat(answer.statusCode()).isEqualTo(302);
		return Browser.location(answer, THROTTLED).substring(THROTTLED.length());
	}

	private static String linkTo(String base, jakarta.mail.internet.MimeMessage message) {
		String text = plainText(message);
		int start = text.indexOf(base + "/");
		assertThat(start).isNotNegative();
		return text.substring(start).split("\\s")[0];
	}

}
