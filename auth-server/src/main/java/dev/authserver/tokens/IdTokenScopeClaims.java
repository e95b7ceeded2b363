package dev.authserver.tokens;

import dev.authserver.clients.ClientRegistrations;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

/**
 * The per-client setting that puts the claims of the granted scopes into ID tokens also when an access token is
 * issued (OIDC Core 1.0 §5.4 sends them to UserInfo then).
 */
public final class IdTokenScopeClaims {

	/** A {@link ClientSettings} key; {@code true} for a client that reads the profile from the ID token only. */
	public static final String SETTING = ClientRegistrations.ID_TOKEN_USERINFO_CLAIMS;

	private IdTokenScopeClaims() {
	}

	public static boolean requestedBy(RegisteredClient client) {
		Object value = client.getClientSettings().getSetting(SETTING);
		return Boolean.TRUE.equals(value);
	}

}
