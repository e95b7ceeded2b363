package dev.authserver.clients;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Remembers the {@code jti} of every client assertion accepted, per client, until the assertion expires, so that each
 * assertion is accepted once (RFC 7523 §3 item 7, OIDC Core 1.0 §9). Spring's authorization server does not check
 * this. The {@code client_assertion_jti} table's primary key makes the check atomic across instances.
 */
final class ClientAssertionJtiStore {

	static final int MAX_JTI_LENGTH = 200;

	private static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);

	private final JdbcTemplate jdbc;

	private final Clock clock;

	private final AtomicReference<Instant> nextPurge;

	ClientAssertionJtiStore(JdbcTemplate jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.nextPurge = new AtomicReference<>(Instant.MIN);
	}

	/**
	 * Records {@code jti} as used by the client until {@code expiresAt}.
	 * @return {@code false} if the client used this {@code jti} before and it has not expired: a replay
	 */
	boolean markUsed(String registeredClientId, String jti, Instant expiresAt) {
		Instant now = this.clock.instant();
		purgeExpired(now);
		try {
			insert(registeredClientId, jti, expiresAt);
			return true;
		}
		catch (DuplicateKeyException ex) {
			// Used before: a replay, unless that use has expired and is only waiting to be purged.
			int expired = this.jdbc.update(
					"DELETE FROM client_assertion_jti WHERE registered_client_id = ? AND jti = ? AND expires_at < ?",
					registeredClientId, jti, Timestamp.from(now));
			if (expired == 0) {
				return false;
			}
			try {
				insert(registeredClientId, jti, expiresAt);
				return true;
			}
			catch (DuplicateKeyException raced) {
				return false;
			}
		}
	}

	private void insert(String registeredClientId, String jti, Instant expiresAt) {
		this.jdbc.update("INSERT INTO client_assertion_jti (registered_client_id, jti, expires_at) VALUES (?, ?, ?)",
				registeredClientId, jti, Timestamp.from(expiresAt));
	}

	// At most once a minute per instance, by whichever request gets there first: no scheduler needed.
	private void purgeExpired(Instant now) {
		Instant due = this.nextPurge.get();
		if (now.isBefore(due) || !this.nextPurge.compareAndSet(due, now.plus(PURGE_INTERVAL))) {
			return;
		}
		this.jdbc.update("DELETE FROM client_assertion_jti WHERE expires_at < ?", Timestamp.from(now));
	}

}
