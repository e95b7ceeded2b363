package dev.authserver.keys;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Reads and writes {@link SigningKey}s. Plain JDBC: inserts must fail loudly when another node inserted the
 * ACTIVE key first, which the partial unique index {@code signing_key_one_active} guarantees on PostgreSQL.
 */
@Repository
class SigningKeyRepository {

	private final JdbcTemplate jdbc;

	SigningKeyRepository(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** Every published key (PENDING, ACTIVE, RETIRED), the active one first. */
	List<SigningKey> findPublished() {
		return this.jdbc.query("""
				SELECT kid, algorithm, status, public_key, private_key, key_version, created_at, activated_at, retired_at
				FROM signing_key
				ORDER BY CASE status WHEN 'ACTIVE' THEN 0 WHEN 'PENDING' THEN 1 ELSE 2 END, created_at DESC, kid
				""", SigningKeyRepository::map);
	}

	Optional<SigningKey> findActive() {
		return findPublished().stream().filter((key) -> key.status() == SigningKey.Status.ACTIVE).findFirst();
	}

	void insert(SigningKey key) {
		this.jdbc.update("""
				INSERT INTO signing_key (kid, algorithm, status, public_key, private_key, key_version, created_at,
					activated_at, retired_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
				""", key.kid(), key.algorithm(), key.status().name(), key.publicKey(), key.privateKey(),
				key.keyVersion(), timestamp(key.createdAt()), timestamp(key.activatedAt()),
				timestamp(key.retiredAt()));
	}

	/**
	 * Makes a PENDING key the ACTIVE one and retires the key it replaces, as of {@code activatedAt}. Run inside a
	 * transaction: on PostgreSQL the partial unique index allows one ACTIVE row at every statement, so the old key is
	 * retired first.
	 * @return whether the key was still PENDING (another node may have promoted it already)
	 * @throws IllegalStateException if another transaction promoted it meanwhile, to roll this one back
	 */
	boolean promote(String kid, Instant activatedAt) {
		if (this.jdbc.queryForObject("SELECT COUNT(*) FROM signing_key WHERE kid = ? AND status = 'PENDING'",
				Integer.class, kid) != 1) {
			return false;
		}
		this.jdbc.update("UPDATE signing_key SET status = 'RETIRED', retired_at = ? WHERE status = 'ACTIVE'",
				timestamp(activatedAt));
		if (this.jdbc.update("UPDATE signing_key SET status = 'ACTIVE' WHERE kid = ? AND status = 'PENDING'",
				kid) != 1) {
			throw new IllegalStateException("Signing key " + kid + " was promoted concurrently");
		}
		return true;
	}

	/** Deletes a key if it is still in the given state. */
	boolean delete(String kid, SigningKey.Status status) {
		return this.jdbc.update("DELETE FROM signing_key WHERE kid = ? AND status = ?", kid, status.name()) == 1;
	}

	private static SigningKey map(ResultSet rs, int row) throws SQLException {
		return new SigningKey(rs.getString("kid"), rs.getString("algorithm"),
				SigningKey.Status.valueOf(rs.getString("status")), rs.getString("public_key"),
				rs.getString("private_key"), rs.getInt("key_version"), instant(rs.getTimestamp("created_at")),
				instant(rs.getTimestamp("activated_at")), instant(rs.getTimestamp("retired_at")));
	}

	private static @Nullable Timestamp timestamp(@Nullable Instant instant) {
		return (instant != null) ? Timestamp.from(instant) : null;
	}

	@SuppressWarnings("NullAway")
	private static Instant instant(@Nullable Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

}
