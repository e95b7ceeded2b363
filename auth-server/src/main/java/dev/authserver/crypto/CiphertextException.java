package dev.authserver.crypto;

/**
 * Thrown when a value cannot be decrypted: it is not one of our ciphertexts, it was altered, or it was encrypted
 * under a master password that is not configured. The message never contains the value.
 */
public class CiphertextException extends RuntimeException {

	CiphertextException(String message) {
		super(message);
	}

}
