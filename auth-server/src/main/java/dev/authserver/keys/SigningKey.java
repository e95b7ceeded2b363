package dev.authserver.keys;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A signing key as stored: its public JWK, its PKCS#8 private key, and where it is in its lifecycle.
 *
 * @param keyVersion how the private key is protected at rest: the master password version it is encrypted under, or
 * 0 for a row written before encryption at rest (encrypted at the next start)
 * @param activatedAt when the key starts signing: in the future for a PENDING key planned by a rotation, so that
 * every instance switches at that instant from the copy it already holds
 * @param retiredAt when its successor started signing
 */
record SigningKey(String kid, String algorithm, Status status, String publicKey, String privateKey, int keyVersion,
		Instant createdAt, @Nullable Instant activatedAt, @Nullable Instant retiredAt) {

	/** PENDING (published, not signing) → ACTIVE (the only one that signs) → RETIRED (published) → deleted. */
	enum Status {

		PENDING, ACTIVE, RETIRED

	}

}
