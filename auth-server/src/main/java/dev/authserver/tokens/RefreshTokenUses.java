package dev.authserver.tokens;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The refresh tokens that were presented once, by SHA-256 hash ({@code refresh_token_use}). The primary key makes
 * the first use atomic across threads and instances: of two requests presenting the same token, one claims it.
 */
@Repository
class RefreshTokenUses {

	private final JdbcTemplate jdbc;

	RefreshTokenUses(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** @return {@code true} when this call is the token's first use, {@code false} when it was used before */
	boolean claim(String refreshToken, String authorizationId, Instant now) {
		try {
			this.jdbc.update("INSERT INTO refresh_token_use (token_hash, authorization_id, used_at) VALUES (?, ?, ?)",
					hash(refreshToken), authorizationId, Timestamp.from(now));
			return true;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

	/** Gives a claim back when the refresh failed for another reason, so a retry is not mistaken for theft. */
	void release(String refreshToken) {
		this.jdbc.update("DELETE FROM refresh_token_use WHERE token_hash = ?", hash(refreshToken));
	}

	Optional<String> authorizationOf(String refreshToken) {
		List<String> ids = this.jdbc.queryForList(
				"SELECT authorization_id FROM refresh_token_use WHERE token_hash = ?", String.class,
				hash(refreshToken));
		return ids.stream().findFirst();
	}

	static String hash(String token) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every Java runtime", ex);
		}
	}

}
