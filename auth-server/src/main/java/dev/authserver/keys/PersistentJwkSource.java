package dev.authserver.keys;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DuplicateKeyException;

/**
 * A {@link JWKSource} over the signing keys kept in the database, so that every instance, before and after a
 * restart, signs with the same key and publishes the same JWK set.
 * <p>
 * The keys are parsed once and kept in memory: the token and JWK set endpoints read them on every request, and
 * re-reading the table there would put a query and an RSA key parse on the hot path. The snapshot is refreshed
 * from the database after {@code refreshInterval}. Only the ACTIVE key carries its private part, so it is the only
 * one a signer can select.
 */
public final class PersistentJwkSource implements JWKSource<SecurityContext> {

	private static final Log logger = LogFactory.getLog(PersistentJwkSource.class);

	private final SigningKeyRepository keys;

	private final Clock clock;

	private final Duration refreshInterval;

	private volatile Snapshot snapshot;

	PersistentJwkSource(SigningKeyRepository keys, Clock clock, Duration refreshInterval) {
		this.keys = keys;
		this.clock = clock;
		this.refreshInterval = refreshInterval;
		encryptUnencryptedKeys();
		ensureActiveKey();
		this.snapshot = load();
	}

	@Override
	public List<JWK> get(JWKSelector jwkSelector, SecurityContext context) {
		Snapshot current = this.snapshot;
		if (current.loadedAt().plus(this.refreshInterval).isBefore(this.clock.instant())) {
			current = load();
			this.snapshot = current;
		}
		return jwkSelector.select(current.jwkSet());
	}

	/** The kid of the key that signs now. */
	public String activeKid() {
		return this.snapshot.activeKid();
	}

	// Keys stored before encryption at rest are encrypted at the first start that has the cipher.
	private void encryptUnencryptedKeys() {
		int encrypted = this.keys.encryptUnencrypted();
		if (encrypted > 0) {
			logger.info("Encrypted " + encrypted + " signing private key(s) stored before encryption at rest");
		}
	}

	private void ensureActiveKey() {
		if (this.keys.findActive().isPresent()) {
			return;
		}
		try {
			this.keys.insert(generateRsaKey(this.clock.instant()));
			logger.info("Generated the first signing key");
		}
		catch (DuplicateKeyException ex) {
			// Another instance created the first key at the same moment: use theirs.
			logger.info("Another instance generated the first signing key");
		}
	}

	private Snapshot load() {
		List<JWK> jwks = new ArrayList<>();
		String activeKid = null;
		for (SigningKey key : this.keys.findPublished()) {
			JWK jwk = toJwk(key);
			jwks.add(jwk);
			if (key.status() == SigningKey.Status.ACTIVE && activeKid == null) {
				activeKid = key.kid();
			}
		}
		if (activeKid == null) {
			throw new IllegalStateException("No ACTIVE signing key in the signing_key table");
		}
		return new Snapshot(new JWKSet(jwks), activeKid, this.clock.instant());
	}

	private static JWK toJwk(SigningKey key) {
		try {
			RSAKey publicKey = RSAKey.parse(key.publicKey());
			if (key.status() != SigningKey.Status.ACTIVE) {
				return publicKey;
			}
			byte[] pkcs8 = Base64.getDecoder().decode(key.privateKey());
			RSAPrivateKey privateKey = (RSAPrivateKey) KeyFactory.getInstance("RSA")
				.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
			return new RSAKey.Builder(publicKey).privateKey(privateKey).build();
		}
		catch (ParseException | java.security.GeneralSecurityException | IllegalArgumentException ex) {
			throw new IllegalStateException("Signing key " + key.kid() + " cannot be read", ex);
		}
	}

	static SigningKey generateRsaKey(Instant now) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			KeyPair keyPair = generator.generateKeyPair();
			String kid = UUID.randomUUID().toString();
			RSAKey publicJwk = new RSAKey.Builder((RSAPublicKey) keyPair.getPublic()).keyID(kid)
				.keyUse(KeyUse.SIGNATURE)
				.algorithm(JWSAlgorithm.RS256)
				.build();
			String privateKey = Base64.getEncoder().encodeToString(keyPair.getPrivate().getEncoded());
			return new SigningKey(kid, JWSAlgorithm.RS256.getName(), SigningKey.Status.ACTIVE,
					publicJwk.toJSONString(), privateKey, 0, now, now, null);
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException("RSA is required of every Java runtime", ex);
		}
	}

	private record Snapshot(JWKSet jwkSet, String activeKid, Instant loadedAt) {
	}

}
