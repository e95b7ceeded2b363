package dev.authserver;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
 * A person in a real browser (Debian's Chromium, headless, driven by Selenium) signs in to the demo client through
 * the auth server, consents, sees their profile, refreshes the tokens and signs out. On failure the page is saved
 * as a screenshot under {@code target/browser-screenshots}.
 */
public class DemoClientBrowserIntegrationTests extends IntegrationTestSupport {

	private DemoClientProcess demo;

	private WebDriver browser;

	private WebDriverWait wait;

	private TestUserAccounts.Created user;

	@BeforeEach
	void startDemoClientAndBrowser() throws Exception {
		int demoPort = freePort();
		String demoUrl = "http://localhost:" + demoPort;
		String clientId = "demo-" + UUID.randomUUID();
		RegisteredClient client = save(TestRegisteredClients.confidentialClient()
			.clientId(clientId)
			.clientName("Acme Notes")
			.redirectUris((uris) -> {
				uris.clear();
				uris.add(demoUrl + "/login/oauth2/code/demo");
			})
			.postLogoutRedirectUris((uris) -> {
				uris.clear();
				uris.add(demoUrl + "/");
			}));
		this.user = newUser();
		// The browser first: where there is none the test is skipped before the demo client starts.
		this.browser = chromium();
		this.demo = DemoClientProcess.start(ISSUER, client.getClientId(), TestRegisteredClients.secretOf(client),
				demoPort);
		this.wait = new WebDriverWait(this.browser, Duration.ofSeconds(20));
	}

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
	void whenPersonSignsInToTheDemoThenProfileShowsTheirClaimsAndSignOutEndsAtHome(TestInfo test) throws Exception {
		try {
			this.browser.get(this.demo.baseUrl + "/");
			this.browser.findElement(By.linkText("Sign in")).click();

			this.wait.until(ExpectedConditions.urlContains(ISSUER + "/login"));
			this.browser.findElement(By.id("username")).sendKeys(this.user.username());
			this.browser.findElement(By.id("password")).sendKeys(this.user.password());
			this.browser.findElement(By.cssSelector("button[type=submit]")).click();

			this.wait.until(ExpectedConditions.urlContains(ISSUER + "/oauth2/consent"));
			assertThat(this.browser.getPageSource()).contains("Acme Notes").contains("Your email address");
			this.browser.findElement(By.id("submit-consent")).click();

			this.wait.until(ExpectedConditions.urlContains(this.demo.baseUrl + "/profile"));
			String profile = this.browser.getPageSource();
			assertThat(profile).contains("Ada Lovelace")
				.contains(this.user.account().email())
				.contains(this.user.subject())
				.contains(ISSUER);

			this.browser.findElement(By.xpath("//button[normalize-space()='Refresh tokens']")).click();
			this.wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".banner--notice")));
			assertThat(this.browser.findElement(By.cssSelector(".banner--notice")).getText())
				.contains("Tokens refreshed");

			this.browser.findElement(By.xpath("//main//button[normalize-space()='Sign out']")).click();
			this.wait.until(ExpectedConditions.urlToBe(this.demo.baseUrl + "/"));
			assertThat(this.browser.findElement(By.linkText("Sign in")).isDisplayed()).isTrue();

			// The auth server's session ended too: signing in again asks for the password.
			this.browser.findElement(By.linkText("Sign in")).click();
			this.wait.until(ExpectedConditions.urlContains(ISSUER + "/login"));
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
		File shot = ((TakesScreenshot) this.browser).getScreenshotAs(OutputType.FILE);
		Files.copy(shot.toPath(), directory.resolve(test.getTestMethod().orElseThrow().getName() + ".png"),
				StandardCopyOption.REPLACE_EXISTING);
		Files.writeString(directory.resolve(test.getTestMethod().orElseThrow().getName() + ".html"),
				this.browser.getPageSource());
	}

	/** Headless Chromium, or the test is skipped where there is none (see {@link Chromium}). */
	public static WebDriver chromium() throws Exception {
		return Chromium.start();
	}

}
