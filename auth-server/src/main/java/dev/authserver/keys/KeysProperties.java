package dev.authserver.keys;

import java.time.Duration;

import com.nimbusds.jose.JWSAlgorithm;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Signing key settings, bound under {@code authserver.keys.*}.
 *
 * @param algorithm the algorithm of the keys that rotations create from now on; the key that signs now keeps its own
 * until the next rotation
 * @param rotationPeriod how long a key signs before the next one takes over
 * @param publishAhead how long the next key is published (PENDING) before it starts signing, so that every instance
 * and every client that caches the JWK set has it by then
 * @param retiredRetention how long a RETIRED key stays published after its successor took over; no token we sign
 * lives longer than this minus twice the clock skew, so no token outlives its key
 * @param refreshInterval how long an instance serves its in-memory copy of the keys before re-reading the table
 * @param jwkSetMaxAge the {@code Cache-Control: max-age} of the JWK set
 * @param clockSkew how far the clocks of our instances and of the clients that verify our tokens may drift apart
 */
@Validated
@ConfigurationProperties("authserver.keys")
public record KeysProperties(@NotNull @DefaultValue("RS256") Algorithm algorithm,
		@NotNull @DefaultValue("P30D") Duration rotationPeriod, @NotNull @DefaultValue("P1D") Duration publishAhead,
		@NotNull @DefaultValue("P1D") Duration retiredRetention,
		@NotNull @DefaultValue("PT1M") Duration refreshInterval, @NotNull @DefaultValue("PT1H") Duration jwkSetMaxAge,
		@NotNull @DefaultValue("PT1M") Duration clockSkew) {

	/**
	 * How a new instance finds the key to sign with: at most this long after a rotation was decided, every instance
	 * has re-read the table, so an on-demand rotation starts signing then, on every instance at the same instant.
	 */
	public Duration activationLead() {
		return this.refreshInterval.plus(this.clockSkew);
	}

	/**
	 * The longest lifetime of a token we sign. A key may still sign up to one clock skew after it retired, and
	 * verifiers allow one clock skew after expiry: both fit in {@link #retiredRetention}.
	 */
	public Duration maxTokenLifetime() {
		return this.retiredRetention.minus(this.clockSkew.multipliedBy(2));
	}

	@AssertTrue(message = "refresh-interval and clock-skew must be positive, jwk-set-max-age cannot be negative")
	public boolean isEveryIntervalPositive() {
		return isPositive(this.refreshInterval) && isPositive(this.clockSkew) && !isNegative(this.jwkSetMaxAge);
	}

	@AssertTrue(message = "publish-ahead must be at least refresh-interval + jwk-set-max-age + clock-skew, "
			+ "so that every instance and every caching client has the next key before it signs")
	public boolean isPublishAheadLongEnough() {
		return isNonNull() && this.publishAhead.compareTo(this.refreshInterval.plus(this.jwkSetMaxAge)
			.plus(this.clockSkew)) >= 0;
	}

	@AssertTrue(message = "rotation-period must be longer than publish-ahead")
	public boolean isRotationPeriodLongerThanPublishAhead() {
		return isNonNull() && this.rotationPeriod.compareTo(this.publishAhead) > 0;
	}

	@AssertTrue(message = "retired-retention must be longer than twice the clock-skew "
			+ "(tokens live at most retired-retention - 2 x clock-skew)")
	public boolean isRetiredRetentionLongerThanTwiceTheClockSkew() {
		return isNonNull() && isPositive(maxTokenLifetime());
	}

	private boolean isNonNull() {
		// Each @NotNull reports a missing value on its own; the cross-field checks only judge complete settings.
		return this.rotationPeriod != null && this.publishAhead != null && this.retiredRetention != null
				&& this.refreshInterval != null && this.jwkSetMaxAge != null && this.clockSkew != null;
	}

	private static boolean isPositive(Duration duration) {
		return duration != null && !duration.isNegative() && !duration.isZero();
	}

	private static boolean isNegative(Duration duration) {
		return duration == null || duration.isNegative();
	}

	/** The signature algorithms a key can have: RS256 (RSA 2048) or ES256 (ECDSA on P-256). */
	public enum Algorithm {

		RS256(JWSAlgorithm.RS256), ES256(JWSAlgorithm.ES256);

		private final JWSAlgorithm jwsAlgorithm;

		Algorithm(JWSAlgorithm jwsAlgorithm) {
			this.jwsAlgorithm = jwsAlgorithm;
		}

		JWSAlgorithm jwsAlgorithm() {
			return this.jwsAlgorithm;
		}

	}

}
