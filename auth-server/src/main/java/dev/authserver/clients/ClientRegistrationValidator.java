package dev.authserver.clients;

import java.net.URI;
import java.net.URISyntaxException;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import org.jspecify.annotations.Nullable;

/**
 * Checks a {@link ClientRegistration} against the server's rules, the same for the admin API, the console and
 * dynamic registration. Returns every problem found, each naming its field, and never echoes the offending value.
 */
public final class ClientRegistrationValidator {

	/** The scope that lets a client call the admin API. */
	public static final String ADMIN_SCOPE = "admin";

	static final Set<String> GRANT_TYPES = Set.of("authorization_code", "refresh_token", "client_credentials");

	static final Set<String> AUTH_METHODS = Set.of("client_secret_basic", "client_secret_post",
			"client_secret_jwt", "private_key_jwt", "none");

	/** The scopes a client may be registered for. */
	public static final Set<String> KNOWN_SCOPES = Set.of("openid", "profile", "email", "roles", "groups",
			ADMIN_SCOPE);

	private static final Pattern IPV4_LOOPBACK = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

	static final int MAX_NAME = 200;

	static final int MAX_URIS = 10;

	static final int MAX_URI_LENGTH = 2000;

	static final int MAX_SCOPES = 20;

	static final int MAX_KEYS = 10;

	static final int MAX_JWKS_LENGTH = 32 * 1024;

	/** {@code private_key_jwt} assertion algorithms (RFC 7518 §3.1). */
	static final Set<String> SIGNATURE_ALGORITHMS = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
			"ES256", "ES384", "ES512");

	/** {@code client_secret_jwt} assertion algorithms. */
	static final Set<String> MAC_ALGORITHMS = Set.of("HS256", "HS384", "HS512");

	/** A problem with one field. */
	public record Violation(String field, String message) {
	}

	public List<Violation> validate(ClientRegistration registration) {
		return validate(registration, null);
	}

	/**
	 * Checks a registration that may also sign its request objects.
	 * @param requestObjectSigningAlg the client's {@code request_object_signing_alg}, or {@code null}
	 */
	List<Violation> validate(ClientRegistration registration, @Nullable String requestObjectSigningAlg) {
		List<Violation> violations = new ArrayList<>();
		String name = registration.clientName();
		if (name == null || name.isBlank()) {
			violations.add(new Violation("client_name", "is required"));
		}
		else if (name.length() > MAX_NAME || hasControlCharacters(name)) {
			violations.add(new Violation("client_name",
					"must be at most " + MAX_NAME + " characters, without control characters"));
		}
		String method = registration.tokenEndpointAuthMethod();
		if (method == null || !AUTH_METHODS.contains(method)) {
			violations.add(new Violation("token_endpoint_auth_method", "must be one of " + sorted(AUTH_METHODS)));
		}
		List<String> grantTypes = registration.grantTypesOrEmpty();
		if (grantTypes.isEmpty() || grantTypes.size() > GRANT_TYPES.size()
				|| hasNull(grantTypes) || !GRANT_TYPES.containsAll(grantTypes)) {
			violations.add(new Violation("grant_types", "must be a non-empty subset of " + sorted(GRANT_TYPES)));
		}
		boolean code = grantTypes.contains("authorization_code");
		if (grantTypes.contains("refresh_token") && !code) {
			violations.add(new Violation("grant_types", "refresh_token needs authorization_code"));
		}
		if (registration.isPublic() && grantTypes.contains("client_credentials")) {
			violations.add(new Violation("grant_types", "a public client (none) cannot use client_credentials"));
		}
		uris("redirect_uris", registration.redirectUris(), violations);
		uris("post_logout_redirect_uris", registration.postLogoutRedirectUris(), violations);
		if (code && registration.redirectUrisOrEmpty().isEmpty()) {
			violations.add(new Violation("redirect_uris", "authorization_code needs at least one redirect URI"));
		}
		if (!code && !registration.redirectUrisOrEmpty().isEmpty()) {
			violations.add(new Violation("redirect_uris", "only clients using authorization_code have redirect URIs"));
		}
		// OIDC Dynamic Client Registration §2: jwks_uri or jwks, never both, for a client whose signatures we check
		// with its public keys: private_key_jwt assertions, or request objects signed with an asymmetric algorithm.
		boolean signsRequestObjects = requestObjectSigningAlg != null
				&& RequestObjectVerifier.SIGNING_ALGORITHMS.contains(requestObjectSigningAlg)
				&& !MAC_ALGORITHMS.contains(requestObjectSigningAlg);
		if ("private_key_jwt".equals(method) || signsRequestObjects) {
			if ((registration.jwksUri() == null) == (registration.jwks() == null)) {
				String who = "private_key_jwt".equals(method) ? "private_key_jwt"
						: "request_object_signing_alg " + requestObjectSigningAlg;
				violations.add(new Violation("jwks_uri", who + " needs a jwks_uri or a jwks, not both"));
			}
			else if (registration.jwksUri() != null) {
				String problem = uriProblem(registration.jwksUri());
				if (problem != null) {
					violations.add(new Violation("jwks_uri", problem));
				}
			}
			else if (inlineJwks(registration) == null) {
				violations.add(new Violation("jwks", "must be a JWK set of at most " + MAX_KEYS
						+ " public keys (RSA or EC), with no private key"));
			}
		}
		else if (registration.jwksUri() != null || registration.jwks() != null) {
			violations.add(new Violation("jwks_uri", "only clients that sign with a private key (private_key_jwt, "
					+ "or request objects with an asymmetric algorithm) have a jwks_uri or a jwks"));
		}
		String algorithm = registration.tokenEndpointAuthSigningAlg();
		if (algorithm != null) {
			Set<String> allowed = "private_key_jwt".equals(method) ? SIGNATURE_ALGORITHMS
					: "client_secret_jwt".equals(method) ? MAC_ALGORITHMS : Set.of();
			if (!allowed.contains(algorithm)) {
				violations.add(new Violation("token_endpoint_auth_signing_alg", allowed.isEmpty()
						? "only private_key_jwt and client_secret_jwt clients have one" : "must be one of "
								+ sorted(allowed)));
			}
		}
		requestObjectViolations(registration, violations);
		List<String> scopes = registration.scopesOrEmpty();
		if (scopes.size() > MAX_SCOPES || hasNull(scopes) || !KNOWN_SCOPES.containsAll(scopes)) {
			violations.add(new Violation("scopes", "must be a subset of " + sorted(KNOWN_SCOPES)));
		}
		if (new HashSet<>(nonNull(scopes)).size() != scopes.size()) {
			violations.add(new Violation("scopes", "must not repeat a scope"));
		}
		// CAUTION: the admin scope opens the admin API. Spring grants a client any scope it is registered for (at
		// the authorization endpoint after consent, at client_credentials on request), so the only safe place to
		// restrict it is the registration: a confidential machine client with client_credentials alone. No user-facing
		// flow can then ever carry it.
		if (scopes.contains(ADMIN_SCOPE)
				&& (registration.isPublic() || !List.of("client_credentials").equals(grantTypes))) {
			violations.add(new Violation("scopes",
					"admin is only for confidential clients whose only grant type is client_credentials"));
		}
		if (scopes.contains("openid") && !code) {
			violations.add(new Violation("scopes", "openid needs authorization_code"));
		}
		return violations;
	}

	// The same rules as dynamic registration (RequestObjectSettings.apply): a verified algorithm, or none for
	// unsigned request objects, which cannot go with require_signed_request_object.
	private static void requestObjectViolations(ClientRegistration registration, List<Violation> violations) {
		String algorithm = registration.requestObjectSigningAlg();
		if (algorithm != null && !RequestObjectVerifier.SIGNING_ALGORITHMS.contains(algorithm)
				&& !RequestObjectVerifier.NONE.equals(algorithm)) {
			violations.add(new Violation(RequestObjectSettings.SIGNING_ALGORITHM_METADATA,
					"must be one of " + RequestObjectVerifier.SIGNING_ALGORITHMS + " or none"));
		}
		else if (algorithm != null && algorithm.startsWith("HS") && registration.isPublic()) {
			// An HMAC is keyed with the client secret, which a public client does not have.
			violations.add(new Violation(RequestObjectSettings.SIGNING_ALGORITHM_METADATA,
					"a public client (none) has no secret to compute " + algorithm + " with"));
		}
		if (Boolean.TRUE.equals(registration.requireSignedRequestObject())
				&& RequestObjectVerifier.NONE.equals(algorithm)) {
			violations.add(new Violation(RequestObjectSettings.REQUIRE_SIGNED_METADATA,
					"cannot be combined with request_object_signing_alg none"));
		}
	}

	/**
	 * The registration's inline JWK set, public keys only, as JSON; {@code null} if there is none or it is not
	 * acceptable (unparseable, a private key, a symmetric key, too many keys).
	 */
	static @Nullable String inlineJwks(ClientRegistration registration) {
		if (registration.jwks() == null) {
			return null;
		}
		try {
			JWKSet set = JWKSet.parse(registration.jwks());
			if (set.isEmpty() || set.size() > MAX_KEYS) {
				return null;
			}
			for (JWK key : set.getKeys()) {
				if (key.isPrivate() || !(key instanceof RSAKey || key instanceof ECKey)) {
					return null;
				}
			}
			String json = set.toString(true);
			return (json.length() <= MAX_JWKS_LENGTH) ? json : null;
		}
		catch (ParseException | RuntimeException ex) {
			return null;
		}
	}

	private static void uris(String field, @Nullable List<String> uris, List<Violation> violations) {
		if (uris == null) {
			return;
		}
		if (uris.size() > MAX_URIS) {
			violations.add(new Violation(field, "at most " + MAX_URIS + " URIs"));
			return;
		}
		for (int i = 0; i < uris.size(); i++) {
			String problem = uriProblem(uris.get(i));
			if (problem != null) {
				violations.add(new Violation(field + "[" + i + "]", problem));
			}
		}
		if (new HashSet<>(uris).size() != uris.size()) {
			violations.add(new Violation(field, "must not repeat a URI"));
		}
	}

	/**
	 * RFC 9700 §4.1.3 and RFC 6749 §3.1.2: absolute, exact, no fragment; https except on loopback (RFC 8252 §7.3).
	 */
	static @Nullable String uriProblem(@Nullable String value) {
		if (value == null || value.isEmpty()) {
			return "must not be empty";
		}
		if (value.length() > MAX_URI_LENGTH || hasControlCharacters(value) || value.contains(" ")) {
			return "must be at most " + MAX_URI_LENGTH + " characters, without spaces or control characters";
		}
		if (value.contains("*")) {
			return "must not contain a wildcard";
		}
		URI uri;
		try {
			uri = new URI(value);
		}
		catch (URISyntaxException ex) {
			return "must be a valid URI";
		}
		if (!uri.isAbsolute() || uri.getHost() == null) {
			return "must be an absolute URI with a host";
		}
		if (uri.getRawFragment() != null || value.contains("#")) {
			return "must not have a fragment";
		}
		if (uri.getRawUserInfo() != null) {
			return "must not contain user information";
		}
		String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
		if ("https".equals(scheme)) {
			return null;
		}
		if ("http".equals(scheme) && isLoopback(uri.getHost())) {
			return null;
		}
		return "must use https (http only for loopback addresses)";
	}

	private static boolean isLoopback(String host) {
		String h = host.toLowerCase(Locale.ROOT);
		return h.equals("localhost") || h.equals("[::1]") || IPV4_LOOPBACK.matcher(h).matches();
	}

	private static boolean hasControlCharacters(String value) {
		return value.chars().anyMatch(Character::isISOControl);
	}

	private static boolean hasNull(List<String> values) {
		return values.stream().anyMatch((value) -> value == null);
	}

	private static List<String> nonNull(List<String> values) {
		return values.stream().filter((value) -> value != null).toList();
	}

	private static List<String> sorted(Set<String> values) {
		return values.stream().sorted().toList();
	}

}
