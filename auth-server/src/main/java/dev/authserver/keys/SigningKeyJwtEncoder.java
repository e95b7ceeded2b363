package dev.authserver.keys;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwsHeader;

/**
 * A {@link JwtEncoder} that signs every JWT (access tokens, ID tokens) with the one key that signs now, and names that
 * key's {@code alg} and {@code kid} in the JWS header.
 * <p>
 * Spring's {@code JwtGenerator} asks for RS256 for access tokens and for each client's
 * {@code id_token_signed_response_alg} (RS256 unless set) for ID tokens; Spring's {@code NimbusJwtEncoder} then picks
 * a key matching that algorithm and refuses when several match. Here the key is chosen first, from one snapshot, and
 * the header follows it: the server signs with one key at a time, whatever its algorithm, and discovery lists the
 * algorithms a token can carry.
 * <p>
 * No token outlives the publication of its key: a RETIRED key is published for {@code retired-retention}, so a
 * token's {@code exp} is at most {@link KeysProperties#maxTokenLifetime()} after signing. Longer lifetimes configured
 * for a client are shortened, with a warning.
 */
final class SigningKeyJwtEncoder implements JwtEncoder {

	private static final Log logger = LogFactory.getLog(SigningKeyJwtEncoder.class);

	private static final int MAX_WARNED_AUDIENCES = 1_000;

	private final PersistentJwkSource keys;

	private final Clock clock;

	private final Duration maxTokenLifetime;

	private final Set<String> warnedAudiences = ConcurrentHashMap.newKeySet();

	SigningKeyJwtEncoder(PersistentJwkSource keys, Clock clock, Duration maxTokenLifetime) {
		this.keys = keys;
		this.clock = clock;
		this.maxTokenLifetime = maxTokenLifetime;
	}

	@Override
	public Jwt encode(JwtEncoderParameters parameters) {
		Instant now = this.clock.instant();
		PersistentJwkSource.Signer signer = this.keys.signerAt(now);
		SignatureAlgorithm algorithm = SignatureAlgorithm.from(signer.algorithm().getName());
		JwsHeader requested = parameters.getJwsHeader();
		JwsHeader header = ((requested != null) ? JwsHeader.from(requested) : JwsHeader.with(algorithm))
			.algorithm(algorithm)
			.keyId(signer.kid())
			.build();
		JwtClaimsSet claims = withBoundedLifetime(parameters.getClaims(), now);
		return signer.encoder().encode(JwtEncoderParameters.from(header, claims));
	}

	private JwtClaimsSet withBoundedLifetime(JwtClaimsSet claims, Instant now) {
		Instant latest = now.plus(this.maxTokenLifetime);
		Instant expiresAt = claims.getExpiresAt();
		if (expiresAt != null && !expiresAt.isAfter(latest)) {
			return claims;
		}
		warnOnce(claims.getAudience());
		return JwtClaimsSet.from(claims).expiresAt(latest).build();
	}

	private void warnOnce(List<String> audience) {
		String key = String.valueOf(audience);
		if (this.warnedAudiences.size() < MAX_WARNED_AUDIENCES && this.warnedAudiences.add(key)) {
			logger.warn("A token for " + key + " would outlive the publication of its signing key: its lifetime is "
					+ "shortened to " + this.maxTokenLifetime
					+ " (authserver.keys.retired-retention - 2 x clock-skew)");
		}
	}

}
