package dev.authserver.throttling;

import java.time.Duration;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of {@link SignInThrottle}, bound under {@code authserver.throttling.*}.
 *
 * @param delayAfter attempts allowed back to back; after that each attempt waits 1 s, 2 s, 4 s, ... since the last
 * @param maxDelay the longest wait between two attempts
 * @param lockAfter attempts (per account, login or mail address) after which the key is locked
 * @param addressDelayAfter attempts from one client address allowed back to back before the waits start (higher
 * than {@code delayAfter}: people share addresses behind NAT)
 * @param addressLockAfter attempts from one client address after which that address is locked
 * @param lockDuration how long a lock lasts; a password reset lifts an account's lock earlier
 * @param window attempts older than this are forgotten
 */
@Validated
@ConfigurationProperties("authserver.throttling")
public record ThrottlingProperties(@DefaultValue("3") @Min(1) int delayAfter,
		@DefaultValue("PT1M") Duration maxDelay, @DefaultValue("10") @Min(2) int lockAfter,
		@DefaultValue("20") @Min(1) int addressDelayAfter, @DefaultValue("100") @Min(2) int addressLockAfter,
		@DefaultValue("PT15M") Duration lockDuration,
		@DefaultValue("PT1H") Duration window) {
}
