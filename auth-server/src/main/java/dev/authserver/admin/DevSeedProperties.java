package dev.authserver.admin;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * What the {@code dev} profile seeds, bound under {@code authserver.dev.*}. Only read in that profile.
 */
@Validated
@ConfigurationProperties("authserver.dev")
record DevSeedProperties(@Valid DemoUser demoUser, @Valid DemoClient demoClient) {

	/** The demo user of the quick start. */
	public record DemoUser(@NotBlank String username, @NotBlank String password, @Email String email,
			@NotBlank String name) {
	}

	/** The demo client's registration, matching {@code config/demo-client.yml}. */
	public record DemoClient(@NotBlank String clientId, @NotBlank String clientSecret, @NotBlank String redirectUri,
			@NotBlank String postLogoutRedirectUri) {
	}

}
