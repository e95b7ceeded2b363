package dev.authserver.clients;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.List;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * Verifies a request object (OIDC Core 1.0 §6.1, RFC 9101 §6) with the keys of the client that sent it: its JWK set
 * for {@code RS256}, {@code PS256} and {@code ES256}, its secret for {@code HS256}; {@code alg=none} only for a client
 * registered with {@code request_object_signing_alg=none}. Checks {@code exp} and {@code nbf} when present (60 seconds
 * of clock skew), {@code iss} (the client id) and {@code aud} (our issuer) when present.
 * <p>
 * The client's public keys come from {@link ClientKeys}, as for client assertions: its inline {@code jwks}, or its
 * {@code jwks_uri} fetched only from a public https host ({@link JwksUriFetcher}), so that a request object cannot
 * make us fetch from the inside network.
 */
final class RequestObjectVerifier {

	/** The signing algorithms we verify, in the order discovery lists them. */
	static final List<String> SIGNING_ALGORITHMS = List.of("RS256", "PS256", "ES256", "HS256");

	static final String NONE = "none";

	private static final JOSEObjectType REQUEST_OBJECT_TYPE = new JOSEObjectType("oauth-authz-req+jwt");

	private final String issuer;

	private final ClientKeys clientKeys;

	RequestObjectVerifier(String issuer, ClientKeys clientKeys) {
		this.issuer = issuer;
		this.clientKeys = clientKeys;
	}

	/** A request object that cannot be used, with a reason that is safe to show. */
	static final class InvalidRequestObjectException extends Exception {

		InvalidRequestObjectException(String message) {
			super(message, null, false, false);
		}

	}

	/**
	 * The claims of a request object the client signed as it is registered to.
	 * @throws InvalidRequestObjectException if it is malformed, unsigned without the client allowing it, signed with
	 * another algorithm or key, expired, not yet valid, or meant for another issuer or from another client
	 */
	JWTClaimsSet verify(String requestObject, RegisteredClient client) throws InvalidRequestObjectException {
		JWT jwt;
		try {
			jwt = JWTParser.parse(requestObject);
		}
		catch (ParseException ex) {
			throw new InvalidRequestObjectException("The request object is not a JWT");
		}
		String registeredAlgorithm = RequestObjectSettings.signingAlgorithm(client);
		JWTClaimsSet claims;
		if (jwt instanceof EncryptedJWT) {
			throw new InvalidRequestObjectException("Encrypted request objects are not supported");
		}
		else if (jwt instanceof PlainJWT plain) {
			// OIDC Dynamic Client Registration §2: "none" only when the client registered it.
			if (!NONE.equals(registeredAlgorithm) || RequestObjectSettings.requiresSignedRequestObject(client)) {
				throw new InvalidRequestObjectException("The request object must be signed");
			}
			claims = claims(plain);
			checkTimes(claims);
		}
		else {
			claims = verifySignature((SignedJWT) jwt, client, registeredAlgorithm);
		}
		if (claims.getIssuer() != null && !client.getClientId().equals(claims.getIssuer())) {
			throw new InvalidRequestObjectException("The request object's iss is not the client");
		}
		if (claims.getAudience() != null && !claims.getAudience().isEmpty()
				&& !claims.getAudience().contains(this.issuer)) {
			throw new InvalidRequestObjectException("The request object's aud is not this server");
		}
		return claims;
	}

	private JWTClaimsSet verifySignature(SignedJWT jwt, RegisteredClient client, @Nullable String registeredAlgorithm)
			throws InvalidRequestObjectException {
		JWSAlgorithm algorithm = jwt.getHeader().getAlgorithm();
		if (!SIGNING_ALGORITHMS.contains(algorithm.getName())) {
			throw new InvalidRequestObjectException("The request object's alg is not supported");
		}
		if (registeredAlgorithm != null && !registeredAlgorithm.equals(algorithm.getName())) {
			throw new InvalidRequestObjectException("The request object's alg is not the one the client registered");
		}
		DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
		processor.setJWSTypeVerifier(
				new DefaultJOSEObjectTypeVerifier<>(null, JOSEObjectType.JWT, REQUEST_OBJECT_TYPE));
		processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithm, keys(client, algorithm)));
		processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(null, null));
		try {
			return processor.process(jwt, null);
		}
		catch (BadJWTException ex) {
			throw new InvalidRequestObjectException("The request object is expired or not yet valid");
		}
		catch (BadJOSEException ex) {
			throw new InvalidRequestObjectException("The request object's signature is not valid");
		}
		catch (Exception ex) {
			// JOSEException, or the client's JWK set could not be fetched.
			throw new InvalidRequestObjectException("The request object could not be verified");
		}
	}

	private JWKSource<SecurityContext> keys(RegisteredClient client, JWSAlgorithm algorithm)
			throws InvalidRequestObjectException {
		if (JWSAlgorithm.Family.HMAC_SHA.contains(algorithm)) {
			String secret = client.getClientSecret();
			// A legacy hash is not the secret, and must never become an HMAC key.
			if (secret == null || secret.startsWith(ClientSecretEncoder.LEGACY_PREFIX)) {
				throw new InvalidRequestObjectException("The client has no secret to verify HS256 with");
			}
			return new ImmutableSecret<>(secret.getBytes(StandardCharsets.UTF_8));
		}
		try {
			return this.clientKeys.of(client);
		}
		catch (ClientKeys.NoKeysException ex) {
			throw new InvalidRequestObjectException(ex.getMessage());
		}
	}

	private static JWTClaimsSet claims(PlainJWT jwt) throws InvalidRequestObjectException {
		try {
			return jwt.getJWTClaimsSet();
		}
		catch (ParseException ex) {
			throw new InvalidRequestObjectException("The request object's claims are not valid JSON");
		}
	}

	private static void checkTimes(JWTClaimsSet claims) throws InvalidRequestObjectException {
		try {
			new DefaultJWTClaimsVerifier<>(null, null).verify(claims, null);
		}
		catch (BadJWTException ex) {
			throw new InvalidRequestObjectException("The request object is expired or not yet valid");
		}
	}

}
