package dev.authserver.clients;

import dev.authserver.crypto.CiphertextException;
import dev.authserver.crypto.SecretCipher;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.util.Assert;

/**
 * A {@link RegisteredClientRepository} that keeps client secrets encrypted at rest with the {@link SecretCipher}:
 * it encrypts on {@link #save} and decrypts on look-up, so the rest of the server sees clear secrets. Spring's
 * client authentication compares them in constant time ({@link ClientSecretEncoder}), and {@code client_secret_jwt}
 * uses them as HMAC keys, which a hash could not serve.
 * <p>
 * Decrypting costs a key derivation (tens of milliseconds), so the cipher caches decrypted values by ciphertext: a
 * token request pays it once per client and instance.
 * <p>
 * Stored values that are neither our ciphertexts nor legacy {@code {sha256}} hashes (a row written by hand, a value
 * encrypted under a master password that is no longer configured) are returned without a secret, so the client
 * cannot authenticate with a secret ({@code invalid_client}) and nothing fails with a server error.
 * <p>
 * CAUTION: Spring's JDBC repository refuses a new client whose secret equals another client's. It compares stored
 * values, which are now ciphertexts with random salts, so that check no longer finds anything; server-generated
 * 256-bit secrets ({@link ClientSecretGenerator}) do not collide.
 */
final class EncryptingRegisteredClientRepository implements RegisteredClientRepository {

	private static final Log logger = LogFactory.getLog(EncryptingRegisteredClientRepository.class);

	private final RegisteredClientRepository delegate;

	private final SecretCipher cipher;

	EncryptingRegisteredClientRepository(RegisteredClientRepository delegate, SecretCipher cipher) {
		Assert.notNull(delegate, "delegate cannot be null");
		Assert.notNull(cipher, "cipher cannot be null");
		this.delegate = delegate;
		this.cipher = cipher;
	}

	/** Saves the client with its clear secret encrypted. */
	@Override
	public void save(RegisteredClient registeredClient) {
		Assert.notNull(registeredClient, "registeredClient cannot be null");
		String secret = registeredClient.getClientSecret();
		if (secret == null) {
			this.delegate.save(registeredClient);
			return;
		}
		// A value that is already stored-form would be encrypted as if it were the secret: refuse it loudly.
		Assert.isTrue(!secret.startsWith(ClientSecretEncoder.LEGACY_PREFIX) && !SecretCipher.isCiphertext(secret),
				"clientSecret must be the clear secret: the repository encrypts it");
		this.delegate.save(RegisteredClient.from(registeredClient).clientSecret(this.cipher.encrypt(secret)).build());
	}

	@Override
	public @Nullable RegisteredClient findById(String id) {
		return withClearSecret(this.delegate.findById(id));
	}

	@Override
	public @Nullable RegisteredClient findByClientId(String clientId) {
		return withClearSecret(this.delegate.findByClientId(clientId));
	}

	private @Nullable RegisteredClient withClearSecret(@Nullable RegisteredClient client) {
		if (client == null || client.getClientSecret() == null) {
			return client;
		}
		String stored = client.getClientSecret();
		if (stored.startsWith(ClientSecretEncoder.LEGACY_PREFIX)) {
			// Verified by ClientSecretEncoder and encrypted at the client's next successful authentication.
			return client;
		}
		String clear = null;
		if (SecretCipher.isCiphertext(stored)) {
			try {
				clear = this.cipher.decrypt(stored);
			}
			catch (CiphertextException ex) {
				logger.warn("The secret of registered client " + client.getId() + " cannot be decrypted, so the "
						+ "client cannot authenticate with it: " + ex.getMessage());
			}
		}
		else {
			logger.warn("The secret of registered client " + client.getId() + " is stored in an unknown format "
					+ "(neither a ciphertext nor a {sha256} hash), so the client cannot authenticate with it");
		}
		return RegisteredClient.from(client).clientSecret(clear).build();
	}

}
