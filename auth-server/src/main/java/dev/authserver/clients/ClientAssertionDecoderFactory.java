package dev.authserver.clients;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTParser;
import dev.authserver.crypto.Digests;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.JwsAlgorithm;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionDecoderFactory;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * A {@link JwtDecoderFactory} for client assertions ({@code private_key_jwt}, {@code client_secret_jwt}) that adds
 * four things to Spring's {@link JwtClientAssertionDecoderFactory}:
 * <ul>
 * <li><b>a strict audience and a short life</b>: exactly one {@code aud}, our issuer or our token endpoint URL, and a
 * validity no longer than {@code authserver.clients.max-assertion-lifetime};</li>
 * <li>a <b>replay check</b>: after Spring's checks (signature, {@code iss}, {@code sub}, {@code aud}, {@code exp}),
 * the assertion must carry a {@code jti} that the client has not used before (OIDC Core 1.0 §9 requires it; RFC 7523
 * §3 lets the server refuse replays), remembered by {@link ClientAssertionJtiStore} until the assertion expires;</li>
 * <li><b>keys fetched safely</b>: a {@code private_key_jwt} client's keys come from {@link ClientKeys}: its inline
 * {@code jwks} or its {@code jwks_uri} through {@link JwksUriFetcher} (public https hosts, 64 KiB, 3 s), cached;</li>
 * <li><b>decoders that follow the client's credentials</b>: Spring caches one decoder per client for the life of the
 * process, so a rotated secret or a new JWK set URL would not take effect until a restart. Here decoders are cached
 * by a digest of the client's id, algorithm, JWK set URL and secret, in a bounded map.</li>
 * </ul>
 * A {@code client_secret_jwt} client whose stored secret is still a legacy {@code {sha256}} hash is refused: the hash
 * is not the secret, and must never become an HMAC key.
 */
public final class ClientAssertionDecoderFactory implements JwtDecoderFactory<RegisteredClient> {

	private static final int MAX_DECODERS = 1_000;

	/** Spring's {@code JwtTimestampValidator} accepts an {@code exp} up to this much in the past. */
	private static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

	/** The client setting that holds an inline JWK set (public keys, JSON), the alternative to a jwks_uri. */
	static final String INLINE_JWKS = ClientKeys.INLINE_JWKS;

	private static final String ERROR_URI = "https://datatracker.ietf.org/doc/html/rfc7523#section-3";

	private final ClientAssertionJtiStore jtis;

	private final Set<String> audiences;

	private final Duration maxLifetime;

	private final Clock clock;

	private final ClientKeys clientKeys;

	private final Map<String, JwtDecoder> decoders = new LinkedHashMap<>(16, 0.75f, true);

	ClientAssertionDecoderFactory(ClientAssertionJtiStore jtis, String issuer, String tokenEndpointUrl,
			Duration maxLifetime, ClientKeys clientKeys, Clock clock) {
		this.jtis = jtis;
		this.clientKeys = clientKeys;
		this.audiences = Set.of(issuer, tokenEndpointUrl);
		this.maxLifetime = maxLifetime;
		this.clock = clock;
	}

	@Override
	public JwtDecoder createDecoder(RegisteredClient client) {
		JwsAlgorithm algorithm = client.getClientSettings().getTokenEndpointAuthenticationSigningAlgorithm();
		String secret = client.getClientSecret();
		if (algorithm instanceof MacAlgorithm && secret != null && secret.startsWith(ClientSecretEncoder.LEGACY_PREFIX)) {
			throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT,
					"Client authentication failed: the client secret must be re-issued", ERROR_URI));
		}
		String key = fingerprint(client, algorithm);
		synchronized (this.decoders) {
			JwtDecoder decoder = this.decoders.get(key);
			if (decoder != null) {
				return decoder;
			}
		}
		JwtDecoder decoder = (algorithm instanceof SignatureAlgorithm signature) ? publicKeyDecoder(client, signature)
				: springDecoder(client);
		synchronized (this.decoders) {
			this.decoders.put(key, decoder);
			if (this.decoders.size() > MAX_DECODERS) {
				this.decoders.remove(this.decoders.keySet().iterator().next());
			}
		}
		return decoder;
	}

	private JwtDecoder springDecoder(RegisteredClient client) {
		JwtClientAssertionDecoderFactory spring = new JwtClientAssertionDecoderFactory();
		spring.setJwtValidatorFactory(this::validator);
		return spring.createDecoder(client);
	}

	// private_key_jwt: Spring's factory fetches a jwks_uri with a RestTemplate of its own (no time or size limit, any
	// address), so the keys come from the client's inline jwks or through our JwksUriFetcher, cached by Nimbus.
	private JwtDecoder publicKeyDecoder(RegisteredClient client, SignatureAlgorithm algorithm) {
		JWKSource<SecurityContext> keys = keys(client);
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(keys).jwsAlgorithm(algorithm).build();
		decoder.setJwtValidator(validator(client));
		return decoder;
	}

	private JWKSource<SecurityContext> keys(RegisteredClient client) {
		try {
			return this.clientKeys.of(client);
		}
		catch (ClientKeys.NoKeysException ex) {
			throw invalidClient(ex.getMessage());
		}
	}

	private static OAuth2AuthenticationException invalidClient(String description) {
		return new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, description, ERROR_URI));
	}

	private OAuth2TokenValidator<Jwt> validator(RegisteredClient client) {
		return withReplayCheck(JwtClientAssertionDecoderFactory.DEFAULT_JWT_VALIDATOR_FACTORY.apply(client), client);
	}

	private OAuth2TokenValidator<Jwt> withReplayCheck(OAuth2TokenValidator<Jwt> springChecks, RegisteredClient client) {
		String registeredClientId = client.getId();
		return (jwt) -> {
			// Only an assertion that passed every other check is remembered: a forged one must not burn a jti.
			OAuth2TokenValidatorResult result = springChecks.validate(jwt);
			if (result.hasErrors()) {
				return result;
			}
			// CAUTION: Spring accepts an aud that merely contains one of our endpoints, so an assertion made for
			// another server (or for our introspection endpoint) would be accepted here too: the audience-injection
			// pattern of CVE-2025-27370/27371. One audience, and it must be us: the issuer or the token endpoint.
			List<String> audience = jwt.getAudience();
			if (audience == null || audience.size() != 1 || !this.audiences.contains(audience.get(0))) {
				return failure("The client assertion's aud must be this server's issuer or token endpoint, alone");
			}
			String lifetimeProblem = lifetimeProblem(jwt);
			if (lifetimeProblem != null) {
				return failure(lifetimeProblem);
			}
			String jti = jwt.getId();
			Instant expiresAt = jwt.getExpiresAt();
			if (jti == null || !LookupKeys.isPlausible(jti, ClientAssertionJtiStore.MAX_JTI_LENGTH)
					|| expiresAt == null) {
				return failure("The client assertion needs a jti (OIDC Core 1.0 §9)");
			}
			if (!this.jtis.markUsed(registeredClientId, jti, expiresAt.plus(CLOCK_SKEW))) {
				return failure("The client assertion was used before (its jti is not new)");
			}
			return OAuth2TokenValidatorResult.success();
		};
	}

	// RFC 7523 §3 item 4 lets the server bound how far in the future exp may be: a client assertion is for one request.
	private @Nullable String lifetimeProblem(Jwt jwt) {
		Instant expiresAt = jwt.getExpiresAt();
		if (expiresAt == null) {
			return "The client assertion needs an exp";
		}
		Instant issuedAt = issuedAtAsSent(jwt);
		Instant now = this.clock.instant();
		if (issuedAt != null && issuedAt.isAfter(now.plus(CLOCK_SKEW))) {
			return "The client assertion's iat is in the future";
		}
		Instant start = (issuedAt != null) ? issuedAt : now;
		if (Duration.between(start, expiresAt).compareTo(this.maxLifetime) > 0) {
			return "The client assertion is valid for longer than " + this.maxLifetime.toSeconds() + " seconds";
		}
		return null;
	}

	// Spring makes up an iat (exp - 1 s) when the assertion has none; only the one the client sent counts here.
	private static @Nullable Instant issuedAtAsSent(Jwt jwt) {
		try {
			Date issuedAt = JWTParser.parse(jwt.getTokenValue()).getJWTClaimsSet().getIssueTime();
			return (issuedAt != null) ? issuedAt.toInstant() : null;
		}
		catch (ParseException ex) {
			return jwt.getIssuedAt();
		}
	}

	private static OAuth2TokenValidatorResult failure(String description) {
		return OAuth2TokenValidatorResult
			.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, description, ERROR_URI));
	}

	// A digest, so the map holds no secret in its keys.
	private static String fingerprint(RegisteredClient client, @Nullable JwsAlgorithm algorithm) {
		String material = client.getId() + '\n' + ((algorithm != null) ? algorithm.getName() : "") + '\n'
				+ client.getClientSettings().getJwkSetUrl() + '\n' + client.getClientSettings().getSetting(INLINE_JWKS)
				+ '\n' + client.getClientSecret();
		return Digests.sha256Hex(material);
	}

}
