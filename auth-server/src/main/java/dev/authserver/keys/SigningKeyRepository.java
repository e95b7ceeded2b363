package dev.authserver.keys;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.authserver.crypto.CiphertextException;
import dev.authserver.crypto.SecretCipher;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Reads and writes {@link SigningKey}s. Plain JDBC: inserts must fail loudly when another node inserted the
 * ACTIVE key first, which the partial unique index {@code signing_key_one_active} guarantees on PostgreSQL.
 * <p>
 * Private keys are encrypted at rest with the {@link SecretCipher}: {@code private_key} holds a ciphertext and
 * {@code key_version} the master password version it is under. {@link SigningKey}s in memory carry the clear
 * (Base64 PKCS#8) private key. Rows written before encryption ({@code key_version} 0) are still read, and
 * {@link #encryptUnencrypted} encrypts them.
 */
@Repository
class SigningKeyRepository {

	private final JdbcTemplate jdbc;

	private final SecretCipher cipher;

	SigningKeyRepository(JdbcTemplate jdbc, SecretCipher cipher) {
		this.jdbc = jdbc;
		this.cipher = cipher;
	}

	/** Every published key (PENDING, ACTIVE, RETIRED), the active one first. */
	List<SigningKey> findPublished() {
		return this.jdbc.query("""
				SELECT kid, algorithm, status, public_key, private_key, key_version, created_at, activated_at, retired_at
				FROM signing_key
				ORDER BY CASE status WHEN 'ACTIVE' THEN 0 WHEN 'PENDING' THEN 1 ELSE 2 END, created_at DESC, kid
				""", this::map);
	}

	Optional<SigningKey> findActive() {
		return findPublished().stream().filter((key) -> key.status() == SigningKey.Status.ACTIVE).findFirst();
	}

	void insert(SigningKey key) {
		this.jdbc.update("""
				INSERT INTO signing_key (kid, algorithm, status, public_key, private_key, key_version, created_at,
					activated_at, retired_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
				""", key.kid(), key.algorithm(), key.status().name(), key.publicKey(),
				this.cipher.encrypt(key.privateKey()), this.cipher.currentVersion(), timestamp(key.createdAt()),
				timestamp(key.activatedAt()), timestamp(key.retiredAt()));
	}

	/**
	 * Encrypts the private keys stored before encryption at rest ({@code key_version} 0). Safe on several nodes at
	 * once: a row is only updated while it is still unencrypted.
	 * @return how many rows this call encrypted
	 */
	int encryptUnencrypted() {
		List<String[]> rows = this.jdbc.query("SELECT kid, private_key FROM signing_key WHERE key_version = 0",
				(rs, row) -> new String[] { rs.getString("kid"), rs.getString("private_key") });
		int encrypted = 0;
		for (String[] row : rows) {
			encrypted += this.jdbc.update(
					"UPDATE signing_key SET private_key = ?, key_version = ? WHERE kid = ? AND key_version = 0",
					this.cipher.encrypt(row[1]), this.cipher.currentVersion(), row[0]);
		}
		return encrypted;
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

	private SigningKey map(ResultSet rs, int row) throws SQLException {
		String kid = rs.getString("kid");
		int keyVersion = rs.getInt("key_version");
		String privateKey = rs.getString("private_key");
		if (keyVersion != 0) {
			try {
				// Cached by ciphertext: only the first read of each key pays the key derivation.
				privateKey = this.cipher.decrypt(privateKey);
			}
			catch (CiphertextException ex) {
				throw new IllegalStateException("The private key of signing key " + kid + " cannot be decrypted: "
						+ ex.getMessage(), ex);
			}
		}
		return new SigningKey(kid, rs.getString("algorithm"), SigningKey.Status.valueOf(rs.getString("status")),
				rs.getString("public_key"), privateKey, keyVersion, instant(rs.getTimestamp("created_at")),
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
