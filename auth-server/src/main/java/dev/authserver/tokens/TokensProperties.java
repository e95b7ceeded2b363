package dev.authserver.tokens;

import java.time.Duration;

import jakarta.validation.Valid;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Token housekeeping settings, bound under {@code authserver.tokens.*}.
 */
@Validated
@ConfigurationProperties("authserver.tokens")
public record TokensProperties(@Valid @DefaultValue Purge purge) {

	/**
	 * The purge of spent grants.
	 *
	 * @param interval how often the purge runs (on one node at a time)
	 * @param grace how long a grant is kept after its last token expired
	 * @param pendingTimeToLive how long an authorization request that never got consent is kept
	 */
	public record Purge(@DefaultValue("PT15M") Duration interval, @DefaultValue("PT1H") Duration grace,
			@DefaultValue("P1D") Duration pendingTimeToLive) {
	}

}
