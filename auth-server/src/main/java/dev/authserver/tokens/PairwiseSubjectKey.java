package dev.authserver.tokens;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Base64;
import java.util.List;

import dev.authserver.crypto.SecretCipher;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The server key of pairwise subject identifiers: 32 random bytes in {@code pairwise_subject_key}, encrypted with the
 * {@link SecretCipher}, created by the first instance that needs it and then the same on every instance and after
 * every restart or master password rotation.
 * <p>
 * CAUTION: not derived from the master password, whose rotation would change every pairwise {@code sub} issued.
 */
final class PairwiseSubjectKey {

	static final String ID = "v1";

	private final JdbcTemplate jdbc;

	private final SecretCipher cipher;

	private final Clock clock;

	private final SecureRandom random = new SecureRandom();

	private volatile @Nullable PairwiseSubjects subjects;

	PairwiseSubjectKey(JdbcTemplate jdbc, SecretCipher cipher, Clock clock) {
		this.jdbc = jdbc;
		this.cipher = cipher;
		this.clock = clock;
	}

	/** The pairwise subjects under the stored key, creating the key the first time. */
	PairwiseSubjects subjects() {
		PairwiseSubjects current = this.subjects;
		if (current == null) {
			current = new PairwiseSubjects(Base64.getDecoder().decode(loadOrCreate()));
			this.subjects = current;
		}
		return current;
	}

	private String loadOrCreate() {
		String stored = load();
		if (stored != null) {
			return stored;
		}
		byte[] key = new byte[32];
		this.random.nextBytes(key);
		String encoded = Base64.getEncoder().encodeToString(key);
		try {
			this.jdbc.update("INSERT INTO pairwise_subject_key (id, key_value, created_at) VALUES (?, ?, ?)", ID,
					this.cipher.encrypt(encoded), Timestamp.from(this.clock.instant()));
			return encoded;
		}
		catch (DuplicateKeyException ex) {
			// Another instance created it first: theirs is the key.
			String theirs = load();
			if (theirs == null) {
				throw ex;
			}
			return theirs;
		}
	}

	private @Nullable String load() {
		List<String> values = this.jdbc.queryForList("SELECT key_value FROM pairwise_subject_key WHERE id = ?",
				String.class, ID);
		return values.isEmpty() ? null : this.cipher.decrypt(values.get(0));
	}

}
