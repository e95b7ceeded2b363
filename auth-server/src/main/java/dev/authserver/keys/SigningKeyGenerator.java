package dev.authserver.keys;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;
import java.util.function.UnaryOperator;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;

/**
 * Creates new signing keys: RSA 2048 for RS256, ECDSA on P-256 for ES256.
 */
final class SigningKeyGenerator {

	private static final int RSA_KEY_SIZE = 2048;

	private SigningKeyGenerator() {
	}

	/**
	 * Generates a key pair, then reads the clock: an RSA key pair can take a good part of a second, which must not be
	 * taken from the time other instances have to see the key before it signs.
	 * @param activation when the key starts signing, given the instant it was created
	 */
	static SigningKey generate(KeysProperties.Algorithm algorithm, SigningKey.Status status, Clock clock,
			UnaryOperator<Instant> activation) {
		String kid = UUID.randomUUID().toString();
		try {
			KeyPair keyPair;
			JWK publicJwk;
			if (algorithm == KeysProperties.Algorithm.ES256) {
				KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
				generator.initialize(Curve.P_256.toECParameterSpec());
				keyPair = generator.generateKeyPair();
				publicJwk = new ECKey.Builder(Curve.P_256, (ECPublicKey) keyPair.getPublic()).keyID(kid)
					.keyUse(KeyUse.SIGNATURE)
					.algorithm(algorithm.jwsAlgorithm())
					.build();
			}
			else {
				KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
				generator.initialize(RSA_KEY_SIZE);
				keyPair = generator.generateKeyPair();
				publicJwk = new RSAKey.Builder((RSAPublicKey) keyPair.getPublic()).keyID(kid)
					.keyUse(KeyUse.SIGNATURE)
					.algorithm(algorithm.jwsAlgorithm())
					.build();
			}
			String privateKey = Base64.getEncoder().encodeToString(keyPair.getPrivate().getEncoded());
			// Milliseconds, which every database keeps as they are: instances compare these instants exactly.
			Instant createdAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
			Instant activatedAt = activation.apply(createdAt).truncatedTo(ChronoUnit.MILLIS);
			return new SigningKey(kid, algorithm.name(), status, publicJwk.toJSONString(), privateKey, 0, createdAt,
					activatedAt, null);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("RSA and EC on P-256 are required of every Java runtime", ex);
		}
	}

}
