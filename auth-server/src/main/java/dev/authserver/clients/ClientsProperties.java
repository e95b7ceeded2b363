package dev.authserver.clients;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Client authentication settings, bound under {@code authserver.clients.*}.
 *
 * @param maxAssertionLifetime the longest a client assertion may be valid ({@code exp} − {@code iat}, or
 * {@code exp} − now without {@code iat}): a long-lived assertion is a stolen credential waiting to happen
 * @param allowLoopbackJwksUri whether a client's {@code jwks_uri} may point at a loopback address; for the dev profile
 * and tests only, since otherwise a client could make the server call its own loopback services
 */
@Validated
@ConfigurationProperties("authserver.clients")
public record ClientsProperties(@DefaultValue("PT10M") Duration maxAssertionLifetime,
		@DefaultValue("false") boolean allowLoopbackJwksUri) {
}
