package dev.authserver.crypto;

/**
 * Thrown at start-up when the master passwords are missing or inconsistent, or an {@code ENC(...)} value cannot be
 * decrypted. The message never contains a password or a decrypted value.
 */
public class CryptoConfigurationException extends IllegalStateException {

	CryptoConfigurationException(String message) {
		super(message);
	}

	CryptoConfigurationException(String message, Throwable cause) {
		super(message, cause);
	}

}
