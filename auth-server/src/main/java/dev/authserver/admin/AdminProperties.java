package dev.authserver.admin;

import java.time.Duration;

import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the admin features, bound under {@code authserver.admin}.
 *
 * @param bootstrap the first admin, created at start-up when no admin exists yet
 * @param dynamicRegistration OpenID Connect Dynamic Client Registration
 */
@Validated
@ConfigurationProperties("authserver.admin")
public record AdminProperties(@Valid @DefaultValue Bootstrap bootstrap,
		@Valid @DefaultValue DynamicRegistration dynamicRegistration) {

	/**
	 * The first admin account. Nothing happens unless both username and password are set, and never once any
	 * account holds the admin role.
	 *
	 * @param password from the environment ({@code AUTHSERVER_ADMIN_PASSWORD}), at least 12 characters
	 */
	public record Bootstrap(@Nullable String username, @Nullable String email, @Nullable String password) {
	}

	/**
	 * @param enabled whether {@code /connect/register} accepts registrations (with an initial access token an admin
	 * issued); off by default
	 * @param initialAccessTokenLifetime how long such a token can be used
	 */
	public record DynamicRegistration(@DefaultValue("false") boolean enabled,
			@DefaultValue("PT1H") Duration initialAccessTokenLifetime) {
	}

}
