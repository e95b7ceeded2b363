package dev.authserver.users;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The single-use tokens of the links we mail ({@code account_token}): 256 random bits in the link, only their
 * SHA-256 digest in the database, bound to one purpose, expiring, and deleted when used.
 */
@Component
class AccountTokens {

	enum Purpose {

		SIGN_UP, PASSWORD_RESET

	}

	/** A sign-up waiting for its address to be verified. */
	record PendingSignUp(String email, @Nullable String name, String passwordHash) {
	}

	// 32 bytes in unpadded base64url.
	private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

	private final SecureRandom random = new SecureRandom();

	private final JdbcTemplate jdbc;

	private final Clock clock;

	AccountTokens(JdbcTemplate jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	String issuePasswordReset(UUID userAccountId, Duration validity) {
		return issue(Purpose.PASSWORD_RESET, userAccountId, null, null, null, validity);
	}

	String issueSignUp(String email, @Nullable String name, String passwordHash, Duration validity) {
		return issue(Purpose.SIGN_UP, null, email, name, passwordHash, validity);
	}

	/** The account of a currently valid reset token, without using it (for showing and checking the form). */
	Optional<UUID> findPasswordReset(String token) {
		return find(Purpose.PASSWORD_RESET, token).map(Row::userAccountId);
	}

	boolean isValidSignUp(String token) {
		return find(Purpose.SIGN_UP, token).isPresent();
	}

	/** Uses a reset token: at most one caller ever gets the account id, also under concurrent requests. */
	@Transactional
	Optional<UUID> usePasswordReset(String token) {
		return find(Purpose.PASSWORD_RESET, token).filter(this::delete).map(Row::userAccountId);
	}

	@Transactional
	Optional<PendingSignUp> useSignUp(String token) {
		return find(Purpose.SIGN_UP, token).filter(this::delete)
			.map((row) -> new PendingSignUp(row.email(), row.name(), row.passwordHash()));
	}

	/** A password change makes every reset link of the account worthless. */
	void revokePasswordResets(UUID userAccountId) {
		this.jdbc.update("DELETE FROM account_token WHERE user_account_id = ? AND purpose = ?", userAccountId,
				Purpose.PASSWORD_RESET.name());
	}

	void deleteExpired() {
		this.jdbc.update("DELETE FROM account_token WHERE expires_at <= ?", Timestamp.from(this.clock.instant()));
	}

	private String issue(Purpose purpose, @Nullable UUID userAccountId, @Nullable String email,
			@Nullable String name, @Nullable String passwordHash, Duration validity) {
		byte[] bytes = new byte[32];
		this.random.nextBytes(bytes);
		String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		Instant now = this.clock.instant();
		this.jdbc.update("""
				INSERT INTO account_token (token_digest, purpose, user_account_id, email, name, password_hash,
				created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
				""", digest(token), purpose.name(), userAccountId, email, name, passwordHash, Timestamp.from(now),
				Timestamp.from(now.plus(validity)));
		return token;
	}

	private Optional<Row> find(Purpose purpose, String token) {
		if (token == null || !TOKEN.matcher(token).matches()) {
			return Optional.empty();
		}
		List<Row> rows = this.jdbc.query("""
				SELECT token_digest, user_account_id, email, name, password_hash FROM account_token
				WHERE token_digest = ? AND purpose = ? AND expires_at > ?
				""", (rs, i) -> new Row(rs.getString(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
				rs.getString(5)), digest(token), purpose.name(), Timestamp.from(this.clock.instant()));
		return rows.stream().findFirst();
	}

	private boolean delete(Row row) {
		return this.jdbc.update("DELETE FROM account_token WHERE token_digest = ?", row.digest()) == 1;
	}

	static String digest(String token) {
		try {
			MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
			return HexFormat.of().formatHex(sha256.digest(token.getBytes(StandardCharsets.US_ASCII)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private record Row(String digest, @Nullable UUID userAccountId, @Nullable String email, @Nullable String name,
			@Nullable String passwordHash) {
	}

}
