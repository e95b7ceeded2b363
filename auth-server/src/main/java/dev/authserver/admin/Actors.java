package dev.authserver.admin;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Who is acting, as the audit log writes it: the admin's account id, or {@code client:<client_id>} for a client's
 * token.
 */
final class Actors {

	private Actors() {
	}

	static String of(Authentication authentication) {
		if (authentication instanceof JwtAuthenticationToken jwt) {
			Object clientId = jwt.getToken().getClaims().getOrDefault("client_id", jwt.getToken().getSubject());
			return "client:" + clientId;
		}
		return authentication.getName();
	}

}
