package dev.authserver.clients;

import java.security.MessageDigest;
import java.util.HexFormat;

import dev.authserver.crypto.Digests;
import org.jspecify.annotations.Nullable;

import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * A {@link PasswordEncoder} for registered clients' secrets, which reach it in clear: the client repository
 * decrypts them ({@link EncryptingRegisteredClientRepository}). It compares in constant time and costs about a
 * microsecond.
 * <p>
 * CAUTION: {@link #encode} returns the secret unchanged, because it is the repository that encrypts on save. Use
 * this encoder only with that repository, never to store a secret anywhere else.
 * <p>
 * Secrets stored before encryption at rest are SHA-256 hashes with the {@code {sha256}} prefix. They still verify
 * (in constant time), and {@link #upgradeEncoding} makes Spring's {@code ClientSecretAuthenticationProvider} save
 * the secret that just matched, which the repository then encrypts: each legacy hash is replaced at its client's
 * first successful authentication.
 */
public final class ClientSecretEncoder implements PasswordEncoder {

	static final String LEGACY_PREFIX = "{sha256}";

	@Override
	public String encode(CharSequence rawSecret) {
		return rawSecret.toString();
	}

	@Override
	public boolean matches(@Nullable CharSequence rawSecret, @Nullable String storedSecret) {
		if (rawSecret == null || storedSecret == null) {
			return false;
		}
		if (storedSecret.startsWith(LEGACY_PREFIX)) {
			byte[] expected;
			try {
				expected = HexFormat.of().parseHex(storedSecret.substring(LEGACY_PREFIX.length()));
			}
			catch (IllegalArgumentException ex) {
				return false;
			}
			return MessageDigest.isEqual(expected, sha256(rawSecret));
		}
		// Digests of both sides, compared with MessageDigest.isEqual: the time taken depends neither on where the
		// values differ nor on their lengths.
		return MessageDigest.isEqual(sha256(storedSecret), sha256(rawSecret));
	}

	@Override
	public boolean upgradeEncoding(@Nullable String storedSecret) {
		return storedSecret != null && storedSecret.startsWith(LEGACY_PREFIX);
	}

	private static byte[] sha256(CharSequence value) {
		return Digests.sha256(value);
	}

}
