package dev.authserver.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.authserver.clients.ClientRegistration;
import dev.authserver.clients.ClientRegistrationException;
import dev.authserver.clients.ClientRegistrationValidator;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Reads a {@link ClientRegistration} from a JSON body, refusing fields the caller must not set (ids, secrets,
 * timestamps) and fields we do not know, each named in the answer, so nothing a caller sent is silently taken
 * for set.
 */
@Component
class ClientRegistrationReader {

	static final Set<String> ALLOWED = Set.of("client_name", "redirect_uris", "post_logout_redirect_uris",
			"grant_types", "token_endpoint_auth_method", "scopes", "require_consent", "jwks_uri", "jwks",
			"token_endpoint_auth_signing_alg", "require_pkce", "request_object_signing_alg",
			"require_signed_request_object", "id_token_userinfo_claims");

	static final Set<String> SERVER_FIELDS = Set.of("id", "client_id", "client_secret", "client_id_issued_at",
			"client_secret_expires_at", "enabled", "client_type", "previous_secret_valid_until");

	private final JsonMapper json;

	ClientRegistrationReader(JsonMapper json) {
		this.json = json;
	}

	ClientRegistration read(JsonNode body) {
		if (!body.isObject()) {
			throw new AdminApiException(HttpStatus.BAD_REQUEST, "The body must be a JSON object");
		}
		List<ClientRegistrationValidator.Violation> violations = new ArrayList<>();
		for (String name : body.propertyNames()) {
			if (SERVER_FIELDS.contains(name)) {
				violations.add(new ClientRegistrationValidator.Violation(name, "is set by the server, not the caller"));
			}
			else if (!ALLOWED.contains(name)) {
				violations.add(new ClientRegistrationValidator.Violation(
						(name.length() <= 50) ? name : name.substring(0, 50), "is not a known field"));
			}
		}
		if (!violations.isEmpty()) {
			throw new ClientRegistrationException(violations);
		}
		try {
			return this.json.treeToValue(body, ClientRegistration.class);
		}
		catch (JacksonException ex) {
			throw new AdminApiException(HttpStatus.BAD_REQUEST,
					"A field has the wrong type: names are strings, lists are arrays of strings");
		}
	}

}
