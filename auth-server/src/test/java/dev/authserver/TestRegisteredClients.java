package dev.authserver;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import dev.authserver.clients.ClientSecretEncoder;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

/**
 * Registered clients for tests, each with a unique client id so tests never collide on the shared database.
 */
public final class TestRegisteredClients {

	private static final String SECRET_PREFIX = "test-secret-with-plenty-of-entropy-for-";

	public static final String REDIRECT_URI = "https://client.example.com/callback";

	public static final String POST_LOGOUT_REDIRECT_URI = "https://client.example.com/signed-out";

	private TestRegisteredClients() {
	}

	/** The raw secret of a client built here: unique per client, as the JDBC repository requires. */
	public static String secretOf(RegisteredClient client) {
		return SECRET_PREFIX + client.getClientId();
	}

	/** An HTTP Basic {@code Authorization} header value for a client built here. */
	public static String basicAuthorization(RegisteredClient client) {
		byte[] credentials = (client.getClientId() + ":" + secretOf(client)).getBytes(StandardCharsets.UTF_8);
		return "Basic " + Base64.getEncoder().encodeToString(credentials);
	}

	/** A confidential web client: client_secret_basic, code + refresh, openid profile email. */
	public static RegisteredClient.Builder confidentialClient() {
		String clientId = "client-" + UUID.randomUUID();
		return RegisteredClient.withId(UUID.randomUUID().toString())
			.clientId(clientId)
			.clientName("Test client")
			.clientSecret(new ClientSecretEncoder().encode(SECRET_PREFIX + clientId))
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
			.redirectUri(REDIRECT_URI)
			.postLogoutRedirectUri(POST_LOGOUT_REDIRECT_URI)
			.scope(OidcScopes.OPENID)
			.scope(OidcScopes.PROFILE)
			.scope(OidcScopes.EMAIL)
			.clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(true).build());
	}

	/** A public (native or browser) client: no secret, PKCE, code grant. */
	public static RegisteredClient.Builder publicClient() {
		return RegisteredClient.withId(UUID.randomUUID().toString())
			.clientId("public-" + UUID.randomUUID())
			.clientName("Public test client")
			.clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.redirectUri("http://127.0.0.1:7777/callback")
			.scope(OidcScopes.OPENID)
			.scope(OidcScopes.PROFILE)
			.clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false).build());
	}

	/** A machine client: client_credentials only. */
	public static RegisteredClient.Builder serviceClient() {
		String clientId = "service-" + UUID.randomUUID();
		return RegisteredClient.withId(UUID.randomUUID().toString())
			.clientId(clientId)
			.clientName("Service test client")
			.clientSecret(new ClientSecretEncoder().encode(SECRET_PREFIX + clientId))
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.scope("api.read");
	}

}
