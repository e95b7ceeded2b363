package dev.authserver.keys;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import dev.authserver.jobs.ClusterJobLock;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Rotates the signing keys: on a schedule, on one node of a cluster at a time, and on demand.
 * <p>
 * A rotation never switches keys on the spot. It stores a PENDING key with the instant it will start signing
 * ({@code activated_at}); every instance publishes it from its next refresh on and switches to it at that instant,
 * so all of them agree without talking to each other. The scheduled job then records the switch (PENDING → ACTIVE,
 * ACTIVE → RETIRED), publishes {@link SigningKeyRotated}, and deletes RETIRED keys once the tokens they signed have
 * expired.
 */
public class SigningKeyRotation {

	static final String JOB_NAME = "signing-key-rotation";

	private static final Log logger = LogFactory.getLog(SigningKeyRotation.class);

	// The job takes milliseconds (an RSA key pair at most ~100 ms); a node that dies holding the lease frees it then.
	private static final Duration LEASE = Duration.ofMinutes(1);

	// How long rotateNow() waits for the lease while another node runs the job.
	private static final Duration LEASE_WAIT = Duration.ofSeconds(10);

	private final SigningKeyRepository keys;

	private final PersistentJwkSource jwkSource;

	private final ClusterJobLock lock;

	private final TransactionOperations transactions;

	private final ApplicationEventPublisher events;

	private final KeysProperties properties;

	private final Clock clock;

	SigningKeyRotation(SigningKeyRepository keys, PersistentJwkSource jwkSource, ClusterJobLock lock,
			TransactionOperations transactions, ApplicationEventPublisher events, KeysProperties properties,
			Clock clock) {
		this.keys = keys;
		this.jwkSource = jwkSource;
		this.lock = lock;
		this.transactions = transactions;
		this.events = events;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * Rotates now, for an admin: a new key of the configured algorithm is published at once and starts signing, on
	 * every instance at the same instant, as soon as all of them can have read it ({@code refresh-interval} +
	 * {@code clock-skew}). Tokens signed before stay verifiable: the previous key is published until they expire.
	 * <p>
	 * Clients that cached the JWK set meet the new {@code kid} before their cache expires and re-fetch the set; the
	 * scheduled rotation avoids even that by publishing {@code publish-ahead} in advance.
	 * @return the key that will sign, and from when
	 * @throws IllegalStateException if another node holds the rotation job for longer than a few seconds
	 */
	public PlannedRotation rotateNow() {
		AtomicReference<PlannedRotation> planned = new AtomicReference<>();
		Instant giveUpAt = this.clock.instant().plus(LEASE_WAIT);
		while (!this.lock.runExclusively(JOB_NAME, LEASE, () -> planned.set(planRotationNow()))) {
			if (this.clock.instant().isAfter(giveUpAt)) {
				throw new IllegalStateException("Another instance is running the signing key job; try again");
			}
			pause();
		}
		this.jwkSource.refresh();
		return planned.get();
	}

	/** The published keys and their states, newest first, without any key material: for the admin console. */
	public List<PublishedKey> published() {
		return this.keys.findPublished()
			.stream()
			.sorted(java.util.Comparator.comparing(SigningKey::createdAt).reversed())
			.map((key) -> new PublishedKey(key.kid(), key.algorithm(), key.status().name(), key.createdAt(),
					key.activatedAt(), key.retiredAt()))
			.toList();
	}

	/** A published key as an admin sees it: no key material. */
	public record PublishedKey(String kid, String algorithm, String status, Instant createdAt,
			@Nullable Instant activatedAt, @Nullable Instant retiredAt) {
	}

	/**
	 * The scheduled job: records keys that started signing, deletes keys whose tokens have all expired, and plans
	 * the next rotation {@code publish-ahead} before it is due. Runs on one node at a time.
	 * @return whether this node ran it (false while another node does)
	 */
	public boolean runScheduled() {
		AtomicReference<Boolean> changed = new AtomicReference<>(false);
		boolean ran = this.lock.runExclusively(JOB_NAME, LEASE, () -> changed.set(maintain()));
		if (changed.get()) {
			this.jwkSource.refresh();
		}
		return ran;
	}

	private PlannedRotation planRotationNow() {
		SigningKey key = SigningKeyGenerator.generate(this.properties.algorithm(), SigningKey.Status.PENDING,
				this.clock, (createdAt) -> createdAt.plus(this.properties.activationLead()));
		Instant activatesAt = activatedAt(key);
		List<SigningKey> published = this.keys.findPublished();
		// A key planned to start after the new one cannot have signed yet, and will not: every instance re-reads the
		// table before that instant. It is withdrawn instead of retired.
		for (SigningKey later : published) {
			if (later.status() == SigningKey.Status.PENDING && activatedAt(later).isAfter(activatesAt)
					&& this.keys.delete(later.kid(), SigningKey.Status.PENDING)) {
				logger.info("Withdrew the planned signing key " + later.kid() + " (never signed)");
			}
		}
		String previousKid = signerAt(published, activatesAt).map(SigningKey::kid).orElse(null);
		this.keys.insert(key);
		logger.info("Signing key rotation requested: " + key.algorithm() + " key " + key.kid()
				+ " is published now and signs from " + activatesAt);
		return new PlannedRotation(previousKid, key.kid(), key.algorithm(), activatesAt);
	}

	/** @return whether anything changed */
	boolean maintain() {
		Instant now = this.clock.instant();
		boolean switched = recordSwitches(now);
		boolean deleted = deleteExpiredKeys(now);
		return planNextRotation(now) || switched || deleted;
	}

	// Instances switch by time; this records it once every instance has (one clock skew later), so that a node
	// whose clock is behind still finds the private part of the key it signs with.
	private boolean recordSwitches(Instant now) {
		Instant switchedBefore = now.minus(this.properties.clockSkew());
		List<SigningKey> due = this.keys.findPublished()
			.stream()
			.filter((key) -> key.status() == SigningKey.Status.PENDING)
			.filter((key) -> !activatedAt(key).isAfter(switchedBefore))
			.sorted(Comparator.comparing(SigningKeyRotation::activatedAt).thenComparing(SigningKey::kid))
			.toList();
		for (SigningKey key : due) {
			SigningKeyRotated rotated = this.transactions.execute((status) -> {
				String previousKid = this.keys.findActive().map(SigningKey::kid).orElse(null);
				return this.keys.promote(key.kid(), activatedAt(key))
						? new SigningKeyRotated(previousKid, key.kid(), activatedAt(key)) : null;
			});
			if (rotated != null) {
				logger.info("Signing key " + rotated.newKid() + " signs since " + rotated.rotatedAt()
						+ "; retired " + rotated.previousKid());
				this.events.publishEvent(rotated);
			}
		}
		return !due.isEmpty();
	}

	private boolean deleteExpiredKeys(Instant now) {
		Instant retiredBefore = now.minus(this.properties.retiredRetention());
		boolean deleted = false;
		for (SigningKey key : this.keys.findPublished()) {
			if (key.status() == SigningKey.Status.RETIRED && key.retiredAt() != null
					&& !key.retiredAt().isAfter(retiredBefore) && this.keys.delete(key.kid(), key.status())) {
				logger.info("Deleted the signing key " + key.kid() + ", retired at " + key.retiredAt()
						+ ": every token it signed has expired");
				deleted = true;
			}
		}
		return deleted;
	}

	private boolean planNextRotation(Instant now) {
		List<SigningKey> published = this.keys.findPublished();
		boolean planned = published.stream()
			.anyMatch((key) -> key.status() == SigningKey.Status.PENDING && activatedAt(key).isAfter(now));
		Optional<SigningKey> current = signerAt(published, now);
		if (planned || current.isEmpty()) {
			return false;
		}
		Instant due = activatedAt(current.get()).plus(this.properties.rotationPeriod());
		if (now.isBefore(due.minus(this.properties.publishAhead()))) {
			return false;
		}
		// Published for publish-ahead at least, even when the job ran late (every node down at the time).
		SigningKey key = SigningKeyGenerator.generate(this.properties.algorithm(), SigningKey.Status.PENDING,
				this.clock, (createdAt) -> later(due, createdAt.plus(this.properties.publishAhead())));
		this.keys.insert(key);
		logger.info("Planned the next signing key: " + key.algorithm() + " key " + key.kid() + " is published now and "
				+ "signs from " + key.activatedAt());
		return true;
	}

	/** The key that signs at {@code instant}: the same rule as {@link PersistentJwkSource}'s. */
	private static Optional<SigningKey> signerAt(List<SigningKey> published, Instant instant) {
		return published.stream()
			.filter((key) -> key.status() != SigningKey.Status.RETIRED)
			.filter((key) -> !activatedAt(key).isAfter(instant))
			.max(Comparator.comparing(SigningKeyRotation::activatedAt).thenComparing(SigningKey::kid));
	}

	private static Instant activatedAt(SigningKey key) {
		return (key.activatedAt() != null) ? key.activatedAt() : key.createdAt();
	}

	private static Instant later(Instant a, Instant b) {
		return a.isAfter(b) ? a : b;
	}

	private static void pause() {
		try {
			Thread.sleep(100);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the signing key job", ex);
		}
	}

	/**
	 * A rotation that was decided: the new key is published now and signs from {@code activatesAt}.
	 *
	 * @param previousKid the key it takes over from
	 */
	public record PlannedRotation(@Nullable String previousKid, String newKid, String algorithm, Instant activatesAt) {
	}

}
