package dev.authserver.tokens;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.authserver.crypto.Digests;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The refresh tokens that were presented once, by SHA-256 hash ({@code refresh_token_use}). Claims are made under
 * the grant's row lock, so of two requests presenting the same token, across threads and instances, one claims it;
 * the primary key backs that up.
 */
@Repository
class RefreshTokenUses {

	private final JdbcTemplate jdbc;

	RefreshTokenUses(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Records the token's use, under its grant's row lock (see {@code GrantLocks}), so the check and the insert
	 * cannot interleave with another use of the same token. Checking first keeps a duplicate key error, which would
	 * abort a PostgreSQL transaction, out of the way.
	 * @return {@code true} when this call is the token's first use, {@code false} when it was used before
	 */
	boolean claim(String refreshToken, String authorizationId, Instant now) {
		String hash = hash(refreshToken);
		Integer used = this.jdbc.queryForObject("SELECT count(*) FROM refresh_token_use WHERE token_hash = ?",
				Integer.class, hash);
		if (used != null && used > 0) {
			return false;
		}
		this.jdbc.update("INSERT INTO refresh_token_use (token_hash, authorization_id, used_at) VALUES (?, ?, ?)",
				hash, authorizationId, Timestamp.from(now));
		return true;
	}

	Optional<String> authorizationOf(String refreshToken) {
		List<String> ids = this.jdbc.queryForList(
				"SELECT authorization_id FROM refresh_token_use WHERE token_hash = ?", String.class,
				hash(refreshToken));
		return ids.stream().findFirst();
	}

	static String hash(String token) {
		return Digests.sha256Hex(token);
	}

}
