package dev.authserver.mail;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.authserver.AuthServerApplication;
import dev.authserver.Browser;
import dev.authserver.IntegrationTestSupport;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quick start without a mail server: in the {@code dev} profile (embedded H2) mails land on {@code /dev/mail},
 * and the demo user can reset their password from there.
 */
class DevMailboxIntegrationTests {

	@TempDir
	Path dataDir;

	@Test
	void whenDevProfileResetsAPasswordThenTheMailIsOnTheDevMailPageAndItsLinkWorks() throws Exception {
		int port = IntegrationTestSupport.freePort();
		String issuer = "http://localhost:" + port;
		// Command-line arguments, because builder properties are defaults that the configuration file overrides.
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(AuthServerApplication.class)
			.profiles("dev")
			.run("--server.port=" + port, "--authserver.issuer=" + issuer, "--authserver.data-dir=" + this.dataDir)) {
			Browser browser = new Browser();
			submit(browser, issuer, issuer + "/password/forgot", "forgot-form", Map.of("email", "demo@example.com"));

			String link = null;
			for (int i = 0; i < 100 && link == null; i++) {
				Matcher matcher = Pattern.compile(Pattern.quote(issuer) + "/password/reset\\?token=[A-Za-z0-9_-]+")
					.matcher(browser.get(issuer + "/dev/mail").body());
				link = matcher.find() ? matcher.group() : null;
				Thread.sleep(50);
			}
			assertThat(link).as("reset link on /dev/mail").isNotNull();
			HttpResponse<String> reset = submit(browser, issuer, link, "reset-form",
					Map.of("password", "quiet meadow lantern 8"));

			assertThat(Browser.location(reset, issuer)).isEqualTo(issuer + "/login?reset");
			assertThat(Browser.location(new Browser().signIn(issuer, "demo", "quiet meadow lantern 8"), issuer))
				.isEqualTo(issuer + "/");
		}
	}

	private static HttpResponse<String> submit(Browser browser, String issuer, String pageUrl, String formId,
			Map<String, String> values) {
		Element form = Jsoup.parse(browser.get(pageUrl).body()).getElementById(formId);
		assertThat(form).isNotNull();
		List<Map.Entry<String, String>> fields = new ArrayList<>(Browser.formFields(form));
		fields.removeIf((field) -> values.containsKey(field.getKey()));
		fields.addAll(values.entrySet());
		return browser.postForm(issuer + form.attr("action"), fields);
	}

}
