package dev.authserver.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.validation.FieldError;
import org.springframework.web.context.support.StandardServletEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Starts the whole application the way {@code java -jar} does, to check how {@code demo.*} settings decide whether
 * it starts at all.
 */
class DemoClientPropertiesTests {

	@Test
	void startWhenNoClientSecretOutsideDevProfileThenFailsNamingTheProperty() {
		assertThatThrownBy(() -> application().run("--server.port=0"))
			.hasRootCauseInstanceOf(BindValidationException.class)
			.satisfies((ex) -> {
				BindValidationException cause = (BindValidationException) rootCause(ex);
				assertThat(cause.getValidationErrors().getAllErrors())
					.filteredOn(FieldError.class::isInstance)
					.map((error) -> ((FieldError) error).getField())
					.containsExactly("clientSecret");
				assertThat(cause.getMessage()).contains("DEMO_CLIENT_SECRET");
			});
	}

	@Test
	void startWhenDevProfileThenUsesDevOnlySecret() {
		try (ConfigurableApplicationContext context = application().profiles("dev").run("--server.port=0")) {
			DemoClientProperties properties = context.getBean(DemoClientProperties.class);

			assertThat(properties.clientSecret()).isEqualTo("dev-only-demo-client-secret");
			assertThat(properties.issuer()).isEqualTo("http://localhost:9000");
			assertThat(properties.clientId()).isEqualTo("demo-client");
			assertThat(properties.showFederatedButtons()).isTrue();
			assertThat(context.getEnvironment().getProperty("server.servlet.session.cookie.name"))
				.isEqualTo("DEMOSESSION");
		}
	}

	@Test
	void homePageWhenFederatedButtonsShownThenLinksCarryIdpHint() throws Exception {
		try (ConfigurableApplicationContext context = application().run("--server.port=0",
				"--demo.client-secret=test-secret", "--demo.show-federated-buttons=true")) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/")).build(),
						HttpResponse.BodyHandlers.ofString());

			assertThat(response.body()).contains("href=\"/oauth2/authorization/demo?idp_hint=github\"")
				.contains("href=\"/oauth2/authorization/demo?idp_hint=google\"")
				.contains("Sign in with GitHub")
				.contains("Sign in with Google");
		}
	}

	@Test
	void toStringWhenCalledThenHidesClientSecret() {
		DemoClientProperties properties = new DemoClientProperties("http://localhost:9000", "demo-client",
				"s3cr3t-value", false);

		assertThat(properties.toString()).contains("demo-client").doesNotContain("s3cr3t-value");
	}

	// A developer's DEMO_CLIENT_SECRET or SPRING_PROFILES_ACTIVE must not decide these tests' outcome
	private static SpringApplicationBuilder application() {
		StandardServletEnvironment environment = new StandardServletEnvironment();
		environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		return new SpringApplicationBuilder(DemoClientApplication.class).environment(environment);
	}

	private static Throwable rootCause(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return cause;
	}

}
