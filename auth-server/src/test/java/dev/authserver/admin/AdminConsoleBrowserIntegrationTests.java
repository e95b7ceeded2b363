package dev.authserver.admin;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import dev.authserver.DemoClientBrowserIntegrationTests;
import dev.authserver.IntegrationTestSupport;
import dev.authserver.TestUserAccounts;
import dev.authserver.users.UserRoles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin console in a real browser (headless Chromium driven by Selenium): an admin signs in, registers a
 * client, sees its secret once, and the secret works while no later page shows it.
 */
class AdminConsoleBrowserIntegrationTests extends IntegrationTestSupport {

	@Autowired
	UserRoles roles;

	WebDriver browser;

	WebDriverWait wait;

	@BeforeEach
	void startBrowser() throws Exception {
		this.browser = DemoClientBrowserIntegrationTests.chromium();
		this.wait = new WebDriverWait(this.browser, Duration.ofSeconds(15));
	}

	@AfterEach
	void stopBrowser() {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	@Test
	void whenAdminRegistersAClientInTheConsoleThenTheSecretIsShownOnceAndWorks() throws Exception {
		TestUserAccounts.Created admin = newUser();
		this.roles.grant(admin.account().id(), UserRoles.ADMIN, null);

		this.browser.get(ISSUER + "/admin/clients");
		this.wait.until(ExpectedConditions.urlContains("/login"));
		this.browser.findElement(By.id("username")).sendKeys(admin.username());
		this.browser.findElement(By.id("password")).sendKeys(admin.password());
		this.browser.findElement(By.cssSelector("button[type=submit]")).click();
		this.wait.until(ExpectedConditions.urlContains("/admin/clients"));

		this.browser.findElement(By.id("new-client")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("client-form")));
		this.browser.findElement(By.id("clientName")).sendKeys("Console shop");
		this.browser.findElement(By.id("redirectUris")).sendKeys("https://console-shop.example.com/callback");
		this.browser.findElement(By.id("save-client")).click();

		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("client-secret")));
		String clientId = this.browser.findElement(By.id("client-id")).getText();
		String secret = this.browser.findElement(By.id("client-secret")).getText();
		assertThat(secret).hasSizeGreaterThanOrEqualTo(43);
		assertThat(clientAuthenticates(clientId, secret)).isTrue();
		assertThat(clientAuthenticates(clientId, "wrong-secret")).isFalse();

		// Never again: not on the client's page, not in the list, not after a reload of either.
		this.browser.findElement(By.id("done")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("client-form")));
		assertThat(this.browser.getPageSource()).doesNotContain(secret);
		this.browser.get(ISSUER + "/admin/clients?q=" + clientId);
		assertThat(this.browser.findElement(By.id("clients")).getText()).contains("Console shop");
		assertThat(this.browser.getPageSource()).doesNotContain(secret);

		// Rotate from the console: a new secret, shown once, and the old one stops at once.
		this.browser.get(ISSUER + "/admin/clients/" + clientId);
		this.browser.findElement(By.id("rotate-secret")).click();
		this.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("client-secret")));
		String rotated = this.browser.findElement(By.id("client-secret")).getText();
		assertThat(rotated).isNotEqualTo(secret);
		assertThat(clientAuthenticates(clientId, rotated)).isTrue();
		assertThat(clientAuthenticates(clientId, secret)).isFalse();
	}

	// RFC 7662: introspection needs an authenticated client; a 200 (even "active": false) means the secret worked.
	private static boolean clientAuthenticates(String clientId, String secret) throws Exception {
		String basic = Base64.getEncoder()
			.encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
		HttpResponse<String> answer = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(ISSUER + "/oauth2/introspect"))
				.header("Authorization", "Basic " + basic)
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString("token=not-a-token"))
				.build(), HttpResponse.BodyHandlers.ofString());
		return answer.statusCode() == 200;
	}

}
