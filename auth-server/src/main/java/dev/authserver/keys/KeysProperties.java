package dev.authserver.keys;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Signing key settings, bound under {@code authserver.keys.*}.
 *
 * @param refreshInterval how long an instance serves its in-memory copy of the keys before re-reading the table
 */
@ConfigurationProperties("authserver.keys")
public record KeysProperties(@DefaultValue("PT1M") Duration refreshInterval) {
}
