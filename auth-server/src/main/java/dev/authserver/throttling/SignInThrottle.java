package dev.authserver.throttling;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.authserver.crypto.Digests;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;

/**
 * Slows down, then locks, repeated attempts at a door (password form, MFA code, reset request, sign-up, magic link
 * request), per account key and per client address, the way django-axes does, with the counts in the database.
 * <p>
 * How a door uses it:
 * <ol>
 * <li>{@link #check(String, String, String)} before looking at the credential or sending the mail. It counts the
 * attempt at once (so parallel attempts are counted too: the rows are locked while counting) and answers whether
 * the attempt may proceed. A refused attempt must be answered without checking anything, and is not counted.
 * <li>{@link #recordSuccess(String, String, String)} when the credential was right: the account key's count starts
 * over.
 * Doors that only send mail never call it; their count expires with the window.
 * </ol>
 * The first {@code delay-after} attempts go through back to back; each later one must wait 1 s, 2 s, 4 s, ... (at
 * most {@code max-delay}) since the previous one; at {@code lock-after} attempts the key is locked for
 * {@code lock-duration}. Doors with the same name share counts. The account key is whatever identifies the target
 * (an account id, or the typed login when no account matches, so an unknown login is throttled exactly like a known
 * one and a lock reveals nothing); it is stored only as a digest. A lock is not a way to keep the owner out for
 * long: it expires, and {@link #unlockAccount(String)} (called after a password reset) lifts it.
 */
@Service
public class SignInThrottle {

	/** The answer to {@link #check}: go ahead, or wait {@code retryAfter}. */
	public record Verdict(boolean allowed, Duration retryAfter) {

		static final Verdict ALLOWED = new Verdict(true, Duration.ZERO);

	}

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final ThrottlingProperties properties;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	SignInThrottle(JdbcTemplate jdbc, PlatformTransactionManager transactionManager, ThrottlingProperties properties,
			Clock clock, ApplicationEventPublisher events) {
		this.jdbc = jdbc;
		this.transactions = new TransactionTemplate(transactionManager);
		this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		this.properties = properties;
		this.clock = clock;
		this.events = events;
	}

	/**
	 * Counts an attempt at {@code door} and says whether it may proceed.
	 * @param door the door's name: {@code password}, {@code mfa}, {@code password-reset}, {@code sign-up},
	 * {@code magic-link}, ...
	 * @param accountKey the account id, or what the person typed (login, email) when it matches no account
	 * @param remoteAddress the client's address, or {@code null} when unknown
	 */
	public Verdict check(String door, @Nullable String accountKey, @Nullable String remoteAddress) {
		Assert.hasText(door, "door cannot be empty");
		String account = (accountKey != null) ? key(door, "account", accountKey) : null;
		String address = (remoteAddress != null) ? key(door, "address", remoteAddress) : null;
		Instant now = this.clock.instant();
		for (String key : new String[] { account, address }) {
			if (key != null) {
				ensureRow(key, now);
			}
		}
		Verdict verdict = this.transactions.execute((status) -> {
			Counter accountCounter = (account != null) ? lock(account, now) : null;
			Counter addressCounter = (address != null) ? lock(address, now) : null;
			Verdict accountVerdict = (accountCounter != null)
					? accountCounter.verdict(now, this.properties.delayAfter(), this.properties) : Verdict.ALLOWED;
			Verdict addressVerdict = (addressCounter != null)
					? addressCounter.verdict(now, this.properties.addressDelayAfter(), this.properties)
					: Verdict.ALLOWED;
			if (!accountVerdict.allowed() || !addressVerdict.allowed()) {
				return accountVerdict.retryAfter().compareTo(addressVerdict.retryAfter()) >= 0
						? new Verdict(false, accountVerdict.retryAfter())
						: new Verdict(false, addressVerdict.retryAfter());
			}
			if (accountCounter != null) {
				count(accountCounter, now, this.properties.lockAfter(), door, accountKey, null);
			}
			if (addressCounter != null) {
				count(addressCounter, now, this.properties.addressLockAfter(), door, null, remoteAddress);
			}
			return Verdict.ALLOWED;
		});
		return (verdict != null) ? verdict : Verdict.ALLOWED;
	}

	/**
	 * The credential was right: the account key's attempts at this door are forgotten, and this attempt no longer
	 * counts against the client address (so an address's count is its failures, and a busy office is not slowed
	 * by its colleagues' successful sign-ins).
	 */
	public void recordSuccess(String door, String accountKey, @Nullable String remoteAddress) {
		// Reset, not deleted: a parallel attempt may be between creating the row and locking it.
		this.jdbc.update("UPDATE sign_in_throttle SET attempts = 0, locked_until = NULL WHERE throttle_key = ?",
				key(door, "account", accountKey));
		if (remoteAddress != null) {
			this.jdbc.update("""
					UPDATE sign_in_throttle SET attempts = attempts - 1
					WHERE throttle_key = ? AND attempts > 0 AND locked_until IS NULL
					""", key(door, "address", remoteAddress));
		}
	}

	/**
	 * Lifts the delays and locks of an account key after its password was reset, at every door but the second
	 * factor's: whoever controls the mailbox must not get fresh guesses at the account's codes by resetting.
	 */
	public void unlockAccount(String accountKey) {
		this.jdbc.update("""
				UPDATE sign_in_throttle SET attempts = 0, locked_until = NULL
				WHERE throttle_key LIKE ? AND throttle_key NOT LIKE 'mfa:%'
				""", "%" + key("", "account", accountKey));
	}

	/**
	 * Forgets counts whose window has passed and whose lock (if any) has run out; they would start over anyway.
	 * Idempotent, so several instances may run it at once.
	 */
	@Scheduled(fixedDelayString = "PT15M", initialDelayString = "PT1M")
	void purge() {
		Instant now = this.clock.instant();
		this.jdbc.update("""
				DELETE FROM sign_in_throttle
				WHERE window_started_at < ? AND (locked_until IS NULL OR locked_until < ?)
				""", Timestamp.from(now.minus(this.properties.window())), Timestamp.from(now));
	}

	private void ensureRow(String key, Instant now) {
		try {
			this.transactions.executeWithoutResult((status) -> this.jdbc.update("""
					INSERT INTO sign_in_throttle (throttle_key, attempts, window_started_at, last_attempt_at)
					SELECT ?, 0, ?, ? WHERE NOT EXISTS (SELECT 1 FROM sign_in_throttle WHERE throttle_key = ?)
					""", key, Timestamp.from(now), Timestamp.from(now), key));
		}
		catch (DuplicateKeyException ex) {
			// A parallel attempt inserted it first: fine, we count on that row.
		}
	}

	private Counter lock(String key, Instant now) {
		List<Counter> rows = select(key);
		if (rows.isEmpty()) {
			// The purge removed it since ensureRow: create it again (in its own transaction) and lock that.
			ensureRow(key, now);
			rows = select(key);
		}
		return rows.get(0);
	}

	private List<Counter> select(String key) {
		return this.jdbc.query("""
				SELECT throttle_key, attempts, window_started_at, last_attempt_at, locked_until
				FROM sign_in_throttle WHERE throttle_key = ? FOR UPDATE
				""", (rs, i) -> {
			Timestamp lockedUntil = rs.getTimestamp(5);
			return new Counter(rs.getString(1), rs.getInt(2), rs.getTimestamp(3).toInstant(),
					rs.getTimestamp(4).toInstant(), (lockedUntil != null) ? lockedUntil.toInstant() : null);
		}, key);
	}

	private void count(Counter counter, Instant now, int lockAfter, String door, @Nullable String accountKey,
			@Nullable String remoteAddress) {
		boolean fresh = counter.isOver(now, this.properties);
		int attempts = (fresh ? 0 : counter.attempts()) + 1;
		Instant windowStartedAt = fresh ? now : counter.windowStartedAt();
		Instant lockedUntil = (attempts >= lockAfter) ? now.plus(this.properties.lockDuration()) : null;
		this.jdbc.update("""
				UPDATE sign_in_throttle SET attempts = ?, window_started_at = ?, last_attempt_at = ?, locked_until = ?
				WHERE throttle_key = ?
				""", attempts, Timestamp.from(windowStartedAt), Timestamp.from(now),
				(lockedUntil != null) ? Timestamp.from(lockedUntil) : null, counter.key());
		if (lockedUntil != null) {
			this.events.publishEvent(
					new SignInLockedOut(door, (accountKey != null) ? accountIdOrNull(accountKey) : null,
							remoteAddress, now, lockedUntil));
		}
	}

	private static @Nullable String accountIdOrNull(String accountKey) {
		try {
			return UUID.fromString(accountKey).toString();
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	// Keys are digests: the account key can be whatever someone typed, and a client address is personal data.
	private static String key(String door, String kind, String value) {
		return door + ":" + kind + ":" + Digests.sha256Hex(value);
	}

	private record Counter(String key, int attempts, Instant windowStartedAt, Instant lastAttemptAt,
			@Nullable Instant lockedUntil) {

		// The count starts over when a lock has run out or the window has passed.
		boolean isOver(Instant now, ThrottlingProperties properties) {
			return (this.lockedUntil != null && !now.isBefore(this.lockedUntil))
					|| !now.isBefore(this.windowStartedAt.plus(properties.window()));
		}

		Verdict verdict(Instant now, int delayAfter, ThrottlingProperties properties) {
			if (this.lockedUntil != null && now.isBefore(this.lockedUntil)) {
				return new Verdict(false, Duration.between(now, this.lockedUntil));
			}
			if (isOver(now, properties) || this.attempts < delayAfter) {
				return Verdict.ALLOWED;
			}
			int doublings = Math.min(this.attempts - delayAfter, 20);
			Duration delay = Duration.ofSeconds(1L << doublings);
			if (delay.compareTo(properties.maxDelay()) > 0) {
				delay = properties.maxDelay();
			}
			Instant next = this.lastAttemptAt.plus(delay);
			return now.isBefore(next) ? new Verdict(false, Duration.between(now, next)) : Verdict.ALLOWED;
		}

	}

}
