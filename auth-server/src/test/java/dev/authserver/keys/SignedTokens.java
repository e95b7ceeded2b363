package dev.authserver.keys;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

/**
 * What a resource server sees of our tokens, read with Nimbus JOSE+JWT rather than our own code.
 */
final class SignedTokens {

	private SignedTokens() {
	}

	static SignedJWT signed(JWT jwt) {
		return (SignedJWT) jwt;
	}

	static String kid(JWT jwt) {
		return signed(jwt).getHeader().getKeyID();
	}

	static JWSAlgorithm alg(JWT jwt) {
		return signed(jwt).getHeader().getAlgorithm();
	}

	static Instant expiresAt(JWT jwt) {
		try {
			return jwt.getJWTClaimsSet().getExpirationTime().toInstant();
		}
		catch (ParseException ex) {
			throw new AssertionError(ex);
		}
	}

	static Duration lifetime(JWT jwt) {
		try {
			return Duration.between(jwt.getJWTClaimsSet().getIssueTime().toInstant(), expiresAt(jwt));
		}
		catch (ParseException ex) {
			throw new AssertionError(ex);
		}
	}

	/**
	 * Verifies the signature against the JWK set the way a resource server does: the key named by {@code kid}, of
	 * the type the {@code alg} needs, RS256 or ES256 only; and checks that the token has not expired.
	 */
	static void verify(JWT jwt, JWKSet jwkSet) {
		DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
		// Access tokens are typed at+jwt (RFC 9068 §2.1), ID tokens carry no type.
		processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt"), null));
		processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256),
				new ImmutableJWKSet<>(jwkSet)));
		try {
			processor.process(jwt, null);
		}
		catch (BadJOSEException | JOSEException ex) {
			throw new AssertionError("Token signed by " + kid(jwt) + " does not verify: " + ex.getMessage(), ex);
		}
	}

	static void sleepUntil(Instant instant) throws InterruptedException {
		long millis = Duration.between(Instant.now(), instant).toMillis();
		if (millis > 0) {
			Thread.sleep(millis + 50);
		}
	}

}
