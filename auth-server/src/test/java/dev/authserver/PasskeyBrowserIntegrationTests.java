package dev.authserver;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.virtualauthenticator.HasVirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Passkeys as a person uses them, in Chromium with a virtual platform authenticator: our page script registers a
 * passkey on the security page, and the login page's passkey button signs in with it.
 */
class PasskeyBrowserIntegrationTests extends IntegrationTestSupport {

	private WebDriver browser;

	private WebDriverWait wait;

	@BeforeEach
	void startBrowser() throws Exception {
		this.browser = DemoClientBrowserIntegrationTests.chromium();
		this.wait = new WebDriverWait(this.browser, Duration.ofSeconds(20));
		((HasVirtualAuthenticator) this.browser).addVirtualAuthenticator(new VirtualAuthenticatorOptions()
			.setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
			.setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
			.setHasResidentKey(true)
			.setHasUserVerification(true)
			.setIsUserVerified(true)
			.setIsUserConsenting(true));
	}

	@AfterEach
	void stopBrowser() {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	@Test
	void whenPersonAddsPasskeyThenTheLoginPageSignsThemInWithIt() {
		TestUserAccounts.Created user = newUser();
		this.browser.get(ISSUER + "/login");
		this.browser.findElement(By.id("username")).sendKeys(user.username());
		this.browser.findElement(By.id("password")).sendKeys(user.password());
		this.browser.findElement(By.cssSelector("button[type=submit]")).click();
		this.wait.until(ExpectedConditions.urlToBe(ISSUER + "/"));

		this.browser.get(ISSUER + "/account/security");
		this.browser.findElement(By.id("passkey-label")).sendKeys("Test laptop");
		this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("passkey-register"))).click();
		this.wait.until(ExpectedConditions.urlContains("/account/security?passkey"));
		assertThat(this.browser.findElement(By.id("passkeys")).getText()).contains("Test laptop");

		this.browser.manage().deleteAllCookies();
		this.browser.get(ISSUER + "/login");
		this.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("passkey-sign-in"))).click();

		this.wait.until(ExpectedConditions.urlToBe(ISSUER + "/"));
		assertThat(this.browser.getPageSource()).contains(user.username());
	}

}
