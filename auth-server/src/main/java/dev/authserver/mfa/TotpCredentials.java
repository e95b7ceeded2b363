package dev.authserver.mfa;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

import dev.authserver.crypto.Digests;
import dev.authserver.crypto.SecretCipher;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.util.Assert;

/**
 * A user account's TOTP authenticator: enrolment (a seed, encrypted at rest, confirmed by a first code), the
 * single-use recovery codes handed out at confirmation, verification without replay, and removal.
 */
@Service
public class TotpCredentials {

	static final int RECOVERY_CODES = 10;

	static final String TOTP = "totp";

	static final String RECOVERY_CODE = "recovery_code";

	private static final String RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

	private static final SecureRandom RANDOM = new SecureRandom();

	private final JdbcTemplate jdbc;

	private final SecretCipher cipher;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final MfaProperties properties;

	TotpCredentials(JdbcTemplate jdbc, SecretCipher cipher, ApplicationEventPublisher events, Clock clock,
			MfaProperties properties) {
		this.jdbc = jdbc;
		this.cipher = cipher;
		this.events = events;
		this.clock = clock;
		this.properties = properties;
	}

	/** Whether the account has a confirmed authenticator. */
	public boolean isEnrolled(UUID userAccountId) {
		Integer count = this.jdbc.queryForObject(
				"SELECT count(*) FROM mfa_totp WHERE user_account_id = ? AND confirmed = TRUE", Integer.class,
				userAccountId);
		return count != null && count > 0;
	}

	/**
	 * Starts (or restarts) enrolment with a new seed, which counts only once a code from it is confirmed. Only one
	 * enrolment of an account waits at a time: starting another replaces it.
	 * @return the Base32 seed to show to the person, and the id that the caller keeps with the session that asked:
	 * only that id reads or confirms the seed
	 * @throws IllegalStateException if the account already has a confirmed authenticator
	 */
	@Transactional
	public PendingEnrolment startEnrolment(UUID userAccountId) {
		if (isEnrolled(userAccountId)) {
			throw new IllegalStateException("an authenticator is already set up");
		}
		this.jdbc.update("DELETE FROM mfa_totp WHERE user_account_id = ?", userAccountId);
		String id = UUID.randomUUID().toString();
		String secret = Totp.newSecret();
		this.jdbc.update("""
				INSERT INTO mfa_totp (id, user_account_id, secret, confirmed, created_at) VALUES (?, ?, ?, FALSE, ?)
				""", id, userAccountId, this.cipher.encrypt(secret), Timestamp.from(this.clock.instant()));
		return new PendingEnrolment(id, secret);
	}

	/**
	 * The seed of an enrolment waiting for its first code, if {@code enrolmentId} names it and it has not expired
	 * ({@code authserver.mfa.totp-enrolment-lifetime}).
	 */
	public Optional<String> pendingSecret(UUID userAccountId, String enrolmentId) {
		Instant startedAfter = this.clock.instant().minus(this.properties.totpEnrolmentLifetime());
		return this.jdbc.queryForList("""
				SELECT secret FROM mfa_totp
				WHERE id = ? AND user_account_id = ? AND confirmed = FALSE AND created_at > ?
				""", String.class, enrolmentId, userAccountId, Timestamp.from(startedAfter))
			.stream()
			.findFirst()
			.map(this.cipher::decrypt);
	}

	/**
	 * Confirms a pending enrolment with a code from the authenticator.
	 * @return the new recovery codes, in clear, to show once; empty if the code is wrong or nothing is pending under
	 * that id
	 */
	@Transactional
	public Optional<List<String>> confirm(UUID userAccountId, String enrolmentId, String code) {
		Optional<String> secret = pendingSecret(userAccountId, enrolmentId);
		if (secret.isEmpty()) {
			return Optional.empty();
		}
		Instant now = this.clock.instant();
		OptionalLong step = Totp.matchingStep(secret.get(), code.trim(), now);
		if (step.isEmpty()) {
			return Optional.empty();
		}
		// Conditional, so that two confirmations sent at once enrol once and hand out one set of recovery codes.
		if (this.jdbc.update("""
				UPDATE mfa_totp SET confirmed = TRUE, last_used_step = ?
				WHERE id = ? AND user_account_id = ? AND confirmed = FALSE
				""", step.getAsLong(), enrolmentId, userAccountId) != 1) {
			return Optional.empty();
		}
		List<String> codes = newRecoveryCodes(userAccountId);
		this.events.publishEvent(new TotpEnrolled(userAccountId, now));
		return Optional.of(codes);
	}

	/**
	 * The second sign-in step: a code from the account's authenticator (each time step accepted once), or one of its
	 * recovery codes (each accepted once). This is the one place codes are checked, to be wrapped by throttling.
	 */
	@Transactional
	public boolean verify(UUID userAccountId, String code) {
		Assert.notNull(code, "code cannot be null");
		String candidate = code.strip();
		if (candidate.length() > 64) {
			return false;
		}
		if (TOTP.equals(methodOf(candidate))) {
			return verifyTotp(userAccountId, candidate);
		}
		return verifyRecoveryCode(userAccountId, candidate);
	}

	/**
	 * What {@link #verify} takes a code for: {@code totp} (six digits from the authenticator app) or
	 * {@code recovery_code}.
	 */
	static String methodOf(String code) {
		String candidate = code.strip();
		return (candidate.length() == Totp.DIGITS && candidate.chars().allMatch(Character::isDigit)) ? TOTP
				: RECOVERY_CODE;
	}

	/** Removes the authenticator and the recovery codes. */
	@Transactional
	public void remove(UUID userAccountId) {
		int deleted = this.jdbc.update("DELETE FROM mfa_totp WHERE user_account_id = ?", userAccountId);
		this.jdbc.update("DELETE FROM mfa_recovery_code WHERE user_account_id = ?", userAccountId);
		if (deleted > 0) {
			this.events.publishEvent(new TotpRemoved(userAccountId, this.clock.instant()));
		}
	}

	public int remainingRecoveryCodes(UUID userAccountId) {
		Integer count = this.jdbc.queryForObject(
				"SELECT count(*) FROM mfa_recovery_code WHERE user_account_id = ? AND used_at IS NULL", Integer.class,
				userAccountId);
		return (count != null) ? count : 0;
	}

	private boolean verifyTotp(UUID userAccountId, String code) {
		List<String> secrets = this.jdbc.queryForList(
				"SELECT secret FROM mfa_totp WHERE user_account_id = ? AND confirmed = TRUE", String.class,
				userAccountId);
		if (secrets.isEmpty()) {
			return false;
		}
		OptionalLong step = Totp.matchingStep(this.cipher.decrypt(secrets.get(0)), code, this.clock.instant());
		if (step.isEmpty()) {
			return false;
		}
		// RFC 6238 §5.2: a code is accepted once. The conditional update makes that hold under concurrent requests and
		// across instances: only one of them moves last_used_step forward.
		return this.jdbc.update("""
				UPDATE mfa_totp SET last_used_step = ?
				WHERE user_account_id = ? AND confirmed = TRUE AND (last_used_step IS NULL OR last_used_step < ?)
				""", step.getAsLong(), userAccountId, step.getAsLong()) == 1;
	}

	private boolean verifyRecoveryCode(UUID userAccountId, String code) {
		Instant now = this.clock.instant();
		int used = this.jdbc.update("""
				UPDATE mfa_recovery_code SET used_at = ?
				WHERE user_account_id = ? AND code_hash = ? AND used_at IS NULL
				""", Timestamp.from(now), userAccountId, hash(normalize(code)));
		if (used != 1) {
			return false;
		}
		this.events.publishEvent(new RecoveryCodeUsed(userAccountId, remainingRecoveryCodes(userAccountId), now));
		return true;
	}

	private List<String> newRecoveryCodes(UUID userAccountId) {
		this.jdbc.update("DELETE FROM mfa_recovery_code WHERE user_account_id = ?", userAccountId);
		List<String> codes = new ArrayList<>();
		for (int i = 0; i < RECOVERY_CODES; i++) {
			String code = newRecoveryCode();
			codes.add(code);
			this.jdbc.update("INSERT INTO mfa_recovery_code (id, user_account_id, code_hash) VALUES (?, ?, ?)",
					UUID.randomUUID(), userAccountId, hash(normalize(code)));
		}
		return codes;
	}

	// 12 characters of a 31-letter alphabet: about 59 bits, shown as xxxx-xxxx-xxxx.
	private static String newRecoveryCode() {
		StringBuilder code = new StringBuilder();
		for (int i = 0; i < 12; i++) {
			if (i > 0 && i % 4 == 0) {
				code.append('-');
			}
			code.append(RECOVERY_ALPHABET.charAt(RANDOM.nextInt(RECOVERY_ALPHABET.length())));
		}
		return code.toString();
	}

	private static String normalize(String code) {
		return code.replace("-", "").replace(" ", "").toLowerCase(Locale.ROOT);
	}

	/**
	 * CAUTION: recovery codes are stored as unsalted SHA-256 digests, not with bcrypt. They are random (about 59
	 * bits), so a copy of the database cannot be searched for them in practice, and a digest allows the atomic
	 * single-use update above; a slow hash would cost a check per stored code at every attempt.
	 */
	private static String hash(String normalized) {
		return Digests.sha256Hex(normalized);
	}

	/** An enrolment waiting for its first code: its id, which binds it to the session that asked, and its seed. */
	public record PendingEnrolment(String id, String secret) {
	}

}
