package dev.authserver.admin;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.authserver.AuthServerApplication;
import dev.authserver.Browser;
import dev.authserver.IntegrationTestSupport;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quick start's embedded H2 database (PostgreSQL mode) runs the admin features too: the first admin from
 * configuration, the console's searches, and the API's create, rotate with grace period, and delete.
 */
class AdminOnEmbeddedDatabaseIntegrationTests {

	@TempDir
	Path dataDir;

	@Test
	void whenDevProfileOnH2ThenTheFirstAdminUsesConsoleAndApi() {
		int port = IntegrationTestSupport.freePort();
		String issuer = "http://localhost:" + port;
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(AuthServerApplication.class)
			.profiles("dev")
			.run("--server.port=" + port, "--authserver.issuer=" + issuer, "--authserver.data-dir=" + this.dataDir,
					"--server.servlet.session.cookie.secure=false", "--authserver.admin.bootstrap.username=boss",
					"--authserver.admin.bootstrap.password=boss-password-0123")) {
			Browser admin = new Browser();
			admin.signIn(issuer, "boss", "boss-password-0123");
			assertThat(Jsoup.parse(admin.get(issuer + "/admin/users?q=dem_").body()).text()).doesNotContain("demo");
			assertThat(Jsoup.parse(admin.get(issuer + "/admin/users?q=demo").body()).getElementById("users").text())
				.contains("demo");
			assertThat(Jsoup.parse(admin.get(issuer + "/admin/clients?q=demo").body()).getElementById("clients").text())
				.contains("demo-client");
			assertThat(admin.get(issuer + "/admin/keys").body()).contains("ACTIVE");
			assertThat(Jsoup.parse(admin.get(issuer + "/admin/audit?type=user.signed_in").body())
				.select("#audit tbody tr")).isNotEmpty();

			String csrf = Browser.csrfToken(Jsoup.parse(admin.get(issuer + "/admin/clients/new").body()));
			HttpResponse<String> created = admin.send(HttpRequest.newBuilder(URI.create(issuer + "/api/admin/clients"))
				.header("Content-Type", "application/json")
				.header("X-CSRF-TOKEN", csrf)
				.POST(HttpRequest.BodyPublishers.ofString(ClientAdminApiIntegrationTests.MACHINE_CLIENT)));
			assertThat(created.statusCode()).isEqualTo(201);
			String clientId = AdminApi.json(created).get("client").get("client_id").asString();
			HttpResponse<String> rotated = admin.postForm(issuer + "/admin/clients/" + clientId + "/secret",
					List.of(Map.entry("_csrf", csrf), Map.entry("gracePeriodSeconds", "3600")));
			assertThat(rotated.statusCode()).isEqualTo(200);
			assertThat(Jsoup.parse(rotated.body()).getElementById("client-secret")).isNotNull();
			HttpResponse<String> deleted = admin.postForm(issuer + "/admin/clients/" + clientId + "/delete",
					List.of(Map.entry("_csrf", csrf)));
			assertThat(deleted.statusCode()).isEqualTo(302);
			assertThat(admin.get(issuer + "/admin/clients/" + clientId).statusCode()).isEqualTo(404);
		}
	}

}
