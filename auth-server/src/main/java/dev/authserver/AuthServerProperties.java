package dev.authserver;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings that concern the whole server, bound under {@code authserver.*}.
 *
 * @param issuer the issuer identifier: an {@code https} (or, for development, {@code http}) URL with no query or
 * fragment (OIDC Discovery 1.0 §4.3); never derived from request headers
 * @param requirePkce whether every client, confidential ones included, must use PKCE (RFC 9700 §2.1.1)
 */
@Validated
@ConfigurationProperties("authserver")
public record AuthServerProperties(@NotBlank @Pattern(regexp = "https?://[^?#]+[^/?#]") String issuer,
		@DefaultValue("true") boolean requirePkce) {
}
