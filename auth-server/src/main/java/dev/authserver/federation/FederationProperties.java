package dev.authserver.federation;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of sign-in with Google and GitHub, bound under {@code authserver.federation.*}. A provider whose client id
 * is empty is not offered. Endpoints default to the real ones, so only a test or a local stand-in changes them.
 *
 * @param connectTimeout how long to wait for a connection to a provider (token endpoint, JWK set, GitHub API)
 * @param readTimeout how long to wait for a provider's answer
 */
@Validated
@ConfigurationProperties("authserver.federation")
record FederationProperties(@DefaultValue("PT3S") Duration connectTimeout,
		@DefaultValue("PT5S") Duration readTimeout, @Valid @DefaultValue Google google,
		@Valid @DefaultValue GitHub github) {

	/**
	 * Google, an OpenID Provider: the ID token is validated against {@code issuer} and {@code jwkSetUri}.
	 *
	 * @param autoLink link a Google identity with a verified email to the local account with that same verified email
	 * without asking the person to sign in to it first
	 * @param hostedDomains when not empty, only Google Workspace accounts whose ID token {@code hd} claim is one of
	 * these domains may sign in
	 */
	record Google(@Nullable String clientId, @Nullable String clientSecret,
			@DefaultValue("https://accounts.google.com") String issuer,
			@DefaultValue("https://accounts.google.com/o/oauth2/v2/auth") String authorizationUri,
			@DefaultValue("https://oauth2.googleapis.com/token") String tokenUri,
			@DefaultValue("https://www.googleapis.com/oauth2/v3/certs") String jwkSetUri,
			@DefaultValue("false") boolean autoLink, @DefaultValue List<String> hostedDomains) {

		boolean enabled() {
			return StringUtils.hasText(this.clientId);
		}

	}

	/**
	 * GitHub, an OAuth 2.0 provider (not OpenID Connect): the identity is the numeric user id from {@code userUri}, the
	 * email the primary verified entry of {@code emailsUri}.
	 *
	 * @param autoLink link a GitHub identity with a verified primary email to the local account with that same
	 * verified email without asking the person to sign in to it first
	 */
	record GitHub(@Nullable String clientId, @Nullable String clientSecret,
			@DefaultValue("https://github.com/login/oauth/authorize") String authorizationUri,
			@DefaultValue("https://github.com/login/oauth/access_token") String tokenUri,
			@DefaultValue("https://api.github.com/user") String userUri,
			@DefaultValue("https://api.github.com/user/emails") String emailsUri,
			@DefaultValue("false") boolean autoLink) {

		boolean enabled() {
			return StringUtils.hasText(this.clientId);
		}

	}

}
