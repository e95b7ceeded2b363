package dev.authserver.clients;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.authserver.crypto.CiphertextException;
import dev.authserver.crypto.SecretCipher;
import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * The previous secrets of clients whose secret an admin rotated with a grace period: during the overlap both the
 * new and the previous secret authenticate the client, then only the new one. Stored encrypted in
 * {@code client_secret_previous} beside the registration.
 * <p>
 * {@link #accepting(AuthenticationProvider)} wraps Spring's {@code ClientSecretAuthenticationProvider}: when Spring
 * refuses a request whose secret is not the current one but matches an unexpired previous one, the request is
 * handed to Spring again with the current secret in its place, so Spring still makes every other check (method,
 * expiry, PKCE code verifier). Requests with the current secret cost nothing more.
 * <p>
 * CAUTION: {@code client_secret_jwt} accepts only the current secret (its HMAC key); a client using that method must
 * switch at rotation time. The grace period covers {@code client_secret_basic} and {@code client_secret_post}.
 */
public final class PreviousClientSecrets {

	private final JdbcTemplate jdbc;

	private final SecretCipher cipher;

	private final RegisteredClientRepository clients;

	private final Clock clock;

	private final ClientSecretEncoder encoder = new ClientSecretEncoder();

	PreviousClientSecrets(JdbcTemplate jdbc, SecretCipher cipher, RegisteredClientRepository clients, Clock clock) {
		this.jdbc = jdbc;
		this.cipher = cipher;
		this.clients = clients;
		this.clock = clock;
	}

	void store(String registeredClientId, String clearSecret, Instant expiresAt) {
		remove(registeredClientId);
		this.jdbc.update("INSERT INTO client_secret_previous (registered_client_id, client_secret, expires_at) "
				+ "VALUES (?, ?, ?)", registeredClientId, this.cipher.encrypt(clearSecret), Timestamp.from(expiresAt));
	}

	void remove(String registeredClientId) {
		this.jdbc.update("DELETE FROM client_secret_previous WHERE registered_client_id = ?", registeredClientId);
	}

	/** Whether the raw secret is the client's previous secret and its grace period has not ended. */
	boolean matches(String registeredClientId, String rawSecret) {
		List<Map<String, Object>> rows = this.jdbc.queryForList(
				"SELECT client_secret FROM client_secret_previous WHERE registered_client_id = ? AND expires_at > ?",
				registeredClientId, Timestamp.from(this.clock.instant()));
		if (rows.isEmpty()) {
			return false;
		}
		String clear;
		try {
			// The cipher caches decrypted values by ciphertext: the key derivation is paid once per instance.
			clear = this.cipher.decrypt((String) rows.get(0).get("client_secret"));
		}
		catch (CiphertextException ex) {
			return false;
		}
		return this.encoder.matches(rawSecret, clear);
	}

	/** Until when the client's previous secret is accepted, if it has one. */
	@Nullable Instant previousValidUntil(String registeredClientId) {
		List<Timestamp> until = this.jdbc.queryForList(
				"SELECT expires_at FROM client_secret_previous WHERE registered_client_id = ? AND expires_at > ?",
				Timestamp.class, registeredClientId, Timestamp.from(this.clock.instant()));
		return until.isEmpty() ? null : until.get(0).toInstant();
	}

	/** Drops previous secrets whose grace period is over. */
	int purgeExpired() {
		return this.jdbc.update("DELETE FROM client_secret_previous WHERE expires_at <= ?",
				Timestamp.from(this.clock.instant()));
	}

	/** Wraps Spring's client secret provider so that an unexpired previous secret is accepted as well. */
	public AuthenticationProvider accepting(AuthenticationProvider clientSecretProvider) {
		return new AuthenticationProvider() {

			@Override
			public @Nullable Authentication authenticate(Authentication authentication)
					throws AuthenticationException {
				try {
					return clientSecretProvider.authenticate(authentication);
				}
				catch (OAuth2AuthenticationException ex) {
					// Only a refused secret pays for the look-up of a previous one: the usual path costs nothing more.
					Authentication substituted = withCurrentSecretIfPrevious(authentication);
					if (substituted == authentication) {
						throw ex;
					}
					return clientSecretProvider.authenticate(substituted);
				}
			}

			@Override
			public boolean supports(Class<?> authentication) {
				return clientSecretProvider.supports(authentication);
			}

		};
	}

	private Authentication withCurrentSecretIfPrevious(Authentication authentication) {
		if (!(authentication instanceof OAuth2ClientAuthenticationToken token) || token.getCredentials() == null
				|| !(ClientAuthenticationMethod.CLIENT_SECRET_BASIC.equals(token.getClientAuthenticationMethod())
						|| ClientAuthenticationMethod.CLIENT_SECRET_POST.equals(token.getClientAuthenticationMethod()))) {
			return authentication;
		}
		String raw = token.getCredentials().toString();
		RegisteredClient client = this.clients.findByClientId(token.getPrincipal().toString());
		if (client == null || client.getClientSecret() == null || this.encoder.matches(raw, client.getClientSecret())
				|| !matches(client.getId(), raw)) {
			return authentication;
		}
		OAuth2ClientAuthenticationToken substituted = new OAuth2ClientAuthenticationToken(client.getClientId(),
				token.getClientAuthenticationMethod(), client.getClientSecret(), token.getAdditionalParameters());
		substituted.setDetails(token.getDetails());
		return substituted;
	}

}
