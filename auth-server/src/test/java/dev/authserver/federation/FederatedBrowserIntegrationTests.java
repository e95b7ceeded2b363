package dev.authserver.federation;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import dev.authserver.DemoClientBrowserIntegrationTests;
import dev.authserver.DemoClientProcess;
import dev.authserver.TestRegisteredClients;
import dev.authserver.TestUserAccounts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A person in a real browser: the demo client → "Sign in with GitHub" → (our login page skipped by the hint) →
 * stand-in GitHub → our consent page → back at the demo client, signed in as the account that GitHub identity is
 * linked to.
 */
class FederatedBrowserIntegrationTests extends FederationIntegrationTestSupport {

	private DemoClientProcess demo;

	private WebDriver browser;

	@AfterEach
	void stop() {
		if (this.browser != null) {
			this.browser.quit();
		}
		if (this.demo != null) {
			this.demo.close();
		}
	}

	@Test
	void whenPersonSignsInToTheDemoWithGitHubThenSignedInAsTheLinkedUser(TestInfo test) throws Exception {
		int demoPort = freePort();
		String demoUrl = "http://localhost:" + demoPort;
		RegisteredClient client = save(TestRegisteredClients.confidentialClient()
			.clientId("demo-" + UUID.randomUUID())
			.clientName("Acme Notes")
			.redirectUris((uris) -> {
				uris.clear();
				uris.add(demoUrl + "/login/oauth2/code/demo");
			})
			.postLogoutRedirectUris((uris) -> {
				uris.clear();
				uris.add(demoUrl + "/");
			}));
		TestUserAccounts.Created user = newUser();
		long gitHubId = newGitHubId();
		Instant now = Instant.now();
		this.jdbc.update("""
				INSERT INTO federated_identity (id, registration_id, subject, user_account_id, email, email_verified,
					login, linked_at, last_login_at, version)
				VALUES (?, 'github', ?, ?, ?, true, 'ada-gh', ?, ?, 0)
				""", UUID.randomUUID(), String.valueOf(gitHubId), user.account().id(), user.account().email(),
				Timestamp.from(now), Timestamp.from(now));
		// The stand-in GitHub's authorization page hands out this code (ProviderStandIns).
		providers.gitHubUser("browser-code-github",
				ProviderStandIns.GitHubUser.withVerifiedEmail(gitHubId, "ada-gh", user.account().email()));
		this.demo = DemoClientProcess.start(ISSUER, client.getClientId(), TestRegisteredClients.secretOf(client),
				demoPort, "--demo.show-federated-buttons=true");
		this.browser = DemoClientBrowserIntegrationTests.chromium();
		WebDriverWait wait = new WebDriverWait(this.browser, Duration.ofSeconds(20));
		try {
			this.browser.get(this.demo.baseUrl + "/");
			this.browser.findElement(By.linkText("Sign in with GitHub")).click();

			wait.until(ExpectedConditions.urlContains(ISSUER + "/oauth2/consent"));
			this.browser.findElement(By.id("submit-consent")).click();

			wait.until(ExpectedConditions.urlContains(this.demo.baseUrl + "/profile"));
			assertThat(this.browser.getPageSource()).contains(user.subject()).contains(user.account().email());
		}
		catch (Throwable failure) {
			screenshot(test);
			throw new AssertionError(failure.getMessage() + "\n--- demo client log ---\n" + this.demo.log(),
					failure);
		}
	}

	private void screenshot(TestInfo test) throws Exception {
		Path directory = Path.of(System.getProperty("browser-test.screenshots", "target/browser-screenshots"));
		Files.createDirectories(directory);
		String name = test.getTestMethod().orElseThrow().getName();
		File shot = ((TakesScreenshot) this.browser).getScreenshotAs(OutputType.FILE);
		Files.copy(shot.toPath(), directory.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
		Files.writeString(directory.resolve(name + ".html"), this.browser.getPageSource());
	}

}
