package dev.authserver.clients;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

/**
 * A client's registration for request objects, kept in its {@link ClientSettings}:
 * {@code request_object_signing_alg} (OIDC Dynamic Client Registration 1.0 §2) and
 * {@code require_signed_request_object} (RFC 9101 §10.5).
 */
public final class RequestObjectSettings {

	/** The one algorithm the client signs request objects with ({@code none} allows unsigned ones). */
	public static final String SIGNING_ALGORITHM = "authserver.client.request-object-signing-alg";

	/** Whether every authorization request of the client must come as a signed request object. */
	public static final String REQUIRE_SIGNED = "authserver.client.require-signed-request-object";

	/** The registration metadata names. */
	public static final String SIGNING_ALGORITHM_METADATA = "request_object_signing_alg";

	public static final String REQUIRE_SIGNED_METADATA = "require_signed_request_object";

	private RequestObjectSettings() {
	}

	/**
	 * Adds to server metadata what we support of request objects: by value ({@code request}) only, signed with one of
	 * the algorithms verified, or unsigned ({@code none}) for a client registered for it.
	 */
	public static void advertise(Map<String, Object> metadata) {
		List<String> algorithms = new ArrayList<>(RequestObjectVerifier.SIGNING_ALGORITHMS);
		algorithms.add(RequestObjectVerifier.NONE);
		metadata.put("request_parameter_supported", true);
		metadata.put("request_uri_parameter_supported", false);
		metadata.put("request_object_signing_alg_values_supported", algorithms);
	}

	static @Nullable String signingAlgorithm(RegisteredClient client) {
		return (client.getClientSettings().getSetting(SIGNING_ALGORITHM) instanceof String algorithm) ? algorithm
				: null;
	}

	static boolean requiresSignedRequestObject(RegisteredClient client) {
		return Boolean.TRUE.equals(client.getClientSettings().getSetting(REQUIRE_SIGNED));
	}

	/**
	 * Checks registration metadata and copies it into {@code settings}.
	 * @return a problem with the metadata, or {@code null}
	 */
	static @Nullable String apply(Map<String, Object> metadata, Map<String, Object> settings) {
		Object algorithm = metadata.get(SIGNING_ALGORITHM_METADATA);
		if (algorithm != null) {
			if (!(algorithm instanceof String name) || !(RequestObjectVerifier.SIGNING_ALGORITHMS.contains(name)
					|| RequestObjectVerifier.NONE.equals(name))) {
				return SIGNING_ALGORITHM_METADATA + " must be one of "
						+ RequestObjectVerifier.SIGNING_ALGORITHMS + " or none";
			}
			settings.put(SIGNING_ALGORITHM, name);
		}
		Object requireSigned = metadata.get(REQUIRE_SIGNED_METADATA);
		if (requireSigned != null) {
			if (!(requireSigned instanceof Boolean required)) {
				return REQUIRE_SIGNED_METADATA + " must be true or false";
			}
			if (required && RequestObjectVerifier.NONE.equals(algorithm)) {
				return REQUIRE_SIGNED_METADATA + " cannot be combined with request_object_signing_alg none";
			}
			settings.put(REQUIRE_SIGNED, required);
		}
		return null;
	}

}
