package dev.authserver.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The one SHA-256 digest of the server, in the encodings its stored values use: lowercase hex and unpadded base64url
 * of the UTF-8 bytes of a string.
 */
public final class Digests {

	private Digests() {
	}

	/** The SHA-256 digest of the UTF-8 bytes of {@code value}. */
	public static byte[] sha256(CharSequence value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.toString().getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every Java runtime", ex);
		}
	}

	/** The SHA-256 digest of the UTF-8 bytes of {@code value}, as 64 lowercase hex digits. */
	public static String sha256Hex(CharSequence value) {
		return HexFormat.of().formatHex(sha256(value));
	}

	/** The SHA-256 digest of the UTF-8 bytes of {@code value}, as 43 characters of base64url without padding. */
	public static String sha256Base64Url(CharSequence value) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(value));
	}

}
