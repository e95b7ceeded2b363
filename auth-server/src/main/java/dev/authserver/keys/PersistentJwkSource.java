package dev.authserver.keys;

import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * A {@link JWKSource} over the signing keys kept in the database, so that every instance, before and after a
 * restart, signs with the same key and publishes the same JWK set.
 * <p>
 * The keys are parsed once and kept in memory: the token and JWK set endpoints read them on every request, and
 * re-reading the table there would put a query and a key parse on the hot path. The snapshot is refreshed from the
 * database after {@code refreshInterval}.
 * <p>
 * This source hands out public keys only: the JWK set endpoint publishes them and the UserInfo endpoint verifies
 * access tokens with them. Signing goes through {@link SigningKeyJwtEncoder}, which asks {@link #signerAt} for the
 * one key that signs at a given instant: the ACTIVE or PENDING key with the latest {@code activated_at} not after
 * it. That choice depends on the table alone, so every instance makes the same one, and a PENDING key starts
 * signing at its planned instant on every instance without waiting for a refresh.
 */
public final class PersistentJwkSource implements JWKSource<SecurityContext> {

	private static final Log logger = LogFactory.getLog(PersistentJwkSource.class);

	// After a failed refresh (database unreachable) try again soon rather than on every request.
	private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(5);

	private final SigningKeyRepository keys;

	private final Clock clock;

	private final Duration refreshInterval;

	private final KeysProperties.Algorithm firstKeyAlgorithm;

	private volatile Snapshot snapshot;

	PersistentJwkSource(SigningKeyRepository keys, Clock clock, Duration refreshInterval,
			KeysProperties.Algorithm firstKeyAlgorithm) {
		this.keys = keys;
		this.clock = clock;
		this.refreshInterval = refreshInterval;
		this.firstKeyAlgorithm = firstKeyAlgorithm;
		encryptUnencryptedKeys();
		ensureActiveKey();
		this.snapshot = load();
	}

	// Keys stored before encryption at rest are encrypted at the first start that has the cipher.
	private void encryptUnencryptedKeys() {
		int encrypted = this.keys.encryptUnencrypted();
		if (encrypted > 0) {
			logger.info("Encrypted " + encrypted + " signing private key(s) stored before encryption at rest");
		}
	}

	@Override
	public List<JWK> get(JWKSelector jwkSelector, SecurityContext context) {
		return jwkSelector.select(current().publicKeys());
	}

	/** The kid of the key that signs now. */
	public String activeKid() {
		return signerAt(this.clock.instant()).kid();
	}

	/**
	 * The JWS algorithms a token of ours can carry: those of every published key, the one that signs now first. A
	 * client that trusts this list accepts tokens before, during and after a change of algorithm.
	 */
	public List<String> signingAlgorithms() {
		Snapshot current = current();
		Set<String> algorithms = new LinkedHashSet<>();
		algorithms.add(current.signerAt(this.clock.instant()).algorithm().getName());
		for (JWK key : current.publicKeys().getKeys()) {
			if (key.getAlgorithm() != null) {
				algorithms.add(key.getAlgorithm().getName());
			}
		}
		return List.copyOf(algorithms);
	}

	/** The key that signs at {@code instant}, with what it needs to sign. */
	Signer signerAt(Instant instant) {
		return current().signerAt(instant);
	}

	/** Re-reads the table now, so that this instance publishes a key it just planned without waiting. */
	void refresh() {
		synchronized (this) {
			this.snapshot = reload(this.snapshot);
		}
	}

	private Snapshot current() {
		Snapshot current = this.snapshot;
		if (this.clock.instant().isBefore(current.refreshAt())) {
			return current;
		}
		// One thread re-reads the table; the others wait for it rather than querying too.
		synchronized (this) {
			current = this.snapshot;
			if (this.clock.instant().isBefore(current.refreshAt())) {
				return current;
			}
			current = reload(current);
			this.snapshot = current;
			return current;
		}
	}

	private Snapshot reload(Snapshot current) {
		try {
			return load();
		}
		catch (DataAccessException | IllegalStateException ex) {
			// Keep publishing and signing from what we have rather than failing every token and JWK set request: the
			// choice of signer is by time, so it stays right unless a rotation is planned meanwhile, and issuing a
			// token needs the database anyway. A key that cannot be read (IllegalStateException) needs an operator.
			logger.error("Could not re-read the signing keys; serving the copy loaded at " + current.loadedAt(), ex);
			return current.retryAt(this.clock.instant().plus(RETRY_AFTER_FAILURE));
		}
	}

	private void ensureActiveKey() {
		if (this.keys.findActive().isPresent()) {
			return;
		}
		try {
			this.keys.insert(SigningKeyGenerator.generate(this.firstKeyAlgorithm, SigningKey.Status.ACTIVE, this.clock,
					UnaryOperator.identity()));
			logger.info("Generated the first signing key (" + this.firstKeyAlgorithm + ")");
		}
		catch (DuplicateKeyException ex) {
			// Another instance created the first key at the same moment: use theirs.
			logger.info("Another instance generated the first signing key");
		}
	}

	private Snapshot load() {
		Instant now = this.clock.instant();
		List<JWK> publicKeys = new ArrayList<>();
		List<Signer> signers = new ArrayList<>();
		for (SigningKey key : this.keys.findPublished()) {
			JWK jwk = toJwk(key);
			publicKeys.add(jwk.toPublicJWK());
			if (jwk.isPrivate() && key.activatedAt() != null) {
				JWSAlgorithm algorithm = JWSAlgorithm
					.parse((jwk.getAlgorithm() != null) ? jwk.getAlgorithm().getName() : key.algorithm());
				signers.add(new Signer(key.kid(), algorithm, key.activatedAt(),
						new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(jwk)))));
			}
		}
		if (signers.isEmpty()) {
			throw new IllegalStateException("No ACTIVE signing key in the signing_key table");
		}
		// Latest activation first; equal instants are settled by kid, the same way on every instance.
		signers.sort(Comparator.comparing(Signer::activatedAt).thenComparing(Signer::kid).reversed());
		return new Snapshot(new JWKSet(publicKeys), List.copyOf(signers), now, now.plus(this.refreshInterval));
	}

	/**
	 * The key as a JWK: with its private part while it is ACTIVE or PENDING (it signs now, or will at its planned
	 * instant), public only once RETIRED.
	 */
	private static JWK toJwk(SigningKey key) {
		try {
			JWK publicKey = JWK.parse(key.publicKey());
			if (key.status() == SigningKey.Status.RETIRED) {
				return publicKey;
			}
			byte[] pkcs8 = Base64.getDecoder().decode(key.privateKey());
			PrivateKey privateKey = KeyFactory.getInstance(publicKey.getKeyType().getValue())
				.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
			if (publicKey instanceof ECKey ecKey) {
				return new ECKey.Builder(ecKey).privateKey((ECPrivateKey) privateKey).build();
			}
			return new RSAKey.Builder((RSAKey) publicKey).privateKey(privateKey).build();
		}
		catch (ParseException | java.security.GeneralSecurityException | IllegalArgumentException
				| ClassCastException ex) {
			throw new IllegalStateException("Signing key " + key.kid() + " cannot be read", ex);
		}
	}

	/** A key that signs from {@code activatedAt} on, until a key with a later activation takes over. */
	record Signer(String kid, JWSAlgorithm algorithm, Instant activatedAt, JwtEncoder encoder) {
	}

	private record Snapshot(JWKSet publicKeys, List<Signer> signers, Instant loadedAt, Instant refreshAt) {

		Signer signerAt(Instant instant) {
			for (Signer signer : this.signers) {
				if (!signer.activatedAt().isAfter(instant)) {
					return signer;
				}
			}
			// Only keys planned for later: the first key, seen by an instance whose clock is behind.
			return this.signers.get(this.signers.size() - 1);
		}

		Snapshot retryAt(Instant instant) {
			return new Snapshot(this.publicKeys, this.signers, this.loadedAt, instant);
		}

	}

}
