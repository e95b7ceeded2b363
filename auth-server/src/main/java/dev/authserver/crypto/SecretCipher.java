package dev.authserver.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

import org.jasypt.encryption.pbe.PooledPBEByteEncryptor;
import org.jasypt.exceptions.EncryptionOperationNotPossibleException;
import org.jasypt.iv.RandomIvGenerator;
import org.jasypt.salt.RandomSaltGenerator;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The one cipher for secrets at rest: Jasypt's {@code PBEWITHHMACSHA512ANDAES_256} with a random salt and IV per
 * value, under a versioned master password, with an HMAC over the result so that an altered value is refused.
 * <p>
 * A ciphertext is {@code v<version>:<base64>}: the master password's version, then the standard Base64 (with
 * padding) of {@code salt (16) | iv (16) | AES-256-CBC ciphertext | HMAC-SHA256 (32)}. The first three parts are
 * Jasypt's own output; the key of each value is derived from the master password and its salt with
 * PBKDF2-HMAC-SHA512 ({@value #ITERATIONS} iterations). The HMAC covers the {@code v<version>:} prefix and Jasypt's
 * output (encrypt-then-MAC), under a key derived once per version from the same master password, so a value that
 * was altered, truncated or relabelled with another version is refused before any decryption is tried. CBC alone
 * would not notice most changes (a flipped IV bit changes the first block silently).
 * <p>
 * Several versions can be configured: values are always encrypted under the current one, and decrypt under any
 * configured one, so that a new master password can be introduced while the old values are re-encrypted.
 * <p>
 * Deriving a key costs tens of milliseconds by design, so decrypted values are kept in a bounded in-memory cache
 * keyed by the whole ciphertext: a value that changes (a rotated secret, a re-encryption) is a new key, and a
 * ciphertext is only ever cached once it has been authenticated and decrypted.
 */
public final class SecretCipher {

	/** Jasypt's algorithm: PBES2 with PBKDF2-HMAC-SHA512 and AES-256-CBC. */
	static final String ALGORITHM = "PBEWITHHMACSHA512ANDAES_256";

	/**
	 * PBKDF2 iterations, part of the format: a value written with another count cannot be read. Master passwords are
	 * long machine secrets (at least {@value #MIN_PASSWORD_LENGTH} characters), so the count only slows down
	 * guessing a weak one; it also sets the cost of every cache miss.
	 */
	static final int ITERATIONS = 100_000;

	static final int MIN_PASSWORD_LENGTH = 16;

	private static final Pattern FORMAT = Pattern.compile("v([1-9][0-9]{0,8}):([A-Za-z0-9+/]+={0,2})");

	private static final int SALT_AND_IV_LENGTH = 32;

	private static final int MAC_LENGTH = 32;

	private static final int AES_BLOCK = 16;

	private final int currentVersion;

	private final Map<Integer, Key> keys;

	private final LruCache cache;

	/**
	 * @param currentVersion the version new values are encrypted under; it must be one of {@code passwords}
	 * @param passwords the master password of each configured version
	 * @param cacheSize how many decrypted values to keep in memory (0: none)
	 */
	public SecretCipher(int currentVersion, Map<Integer, String> passwords, int cacheSize) {
		Assert.isTrue(passwords.containsKey(currentVersion), "the current version needs a master password");
		Assert.isTrue(cacheSize >= 0, "cacheSize cannot be negative");
		this.currentVersion = currentVersion;
		Map<Integer, Key> keys = new LinkedHashMap<>();
		passwords.forEach((version, password) -> {
			Assert.isTrue(version >= 1, "key versions start at 1");
			Assert.isTrue(password != null && password.length() >= MIN_PASSWORD_LENGTH,
					() -> "the master password of version " + version + " must have at least " + MIN_PASSWORD_LENGTH
							+ " characters");
			keys.put(version, new Key(version, password));
		});
		this.keys = Map.copyOf(keys);
		this.cache = new LruCache(cacheSize);
	}

	/** The version new values are encrypted under. */
	public int currentVersion() {
		return this.currentVersion;
	}

	/** Encrypts {@code plaintext} under the current master password; every call gives a different ciphertext. */
	public String encrypt(String plaintext) {
		Assert.notNull(plaintext, "plaintext cannot be null");
		Key key = this.keys.get(this.currentVersion);
		byte[] encrypted;
		try {
			encrypted = key.encryptor.encrypt(plaintext.getBytes(StandardCharsets.UTF_8));
		}
		catch (EncryptionOperationNotPossibleException ex) {
			throw new IllegalStateException("Encryption failed: is " + ALGORITHM + " available in this Java runtime?");
		}
		String prefix = prefix(key.version);
		byte[] mac = key.mac(prefix, encrypted);
		byte[] body = new byte[encrypted.length + mac.length];
		System.arraycopy(encrypted, 0, body, 0, encrypted.length);
		System.arraycopy(mac, 0, body, encrypted.length, mac.length);
		return prefix + Base64.getEncoder().encodeToString(body);
	}

	/**
	 * Decrypts a value written by {@link #encrypt}, under whichever configured version it names.
	 * @throws CiphertextException if it is not a ciphertext, names a version that is not configured, was altered, or
	 * was encrypted under another master password
	 */
	public String decrypt(String ciphertext) {
		Assert.notNull(ciphertext, "ciphertext cannot be null");
		String cached = this.cache.get(ciphertext);
		if (cached != null) {
			return cached;
		}
		String plaintext = decryptUncached(ciphertext);
		this.cache.put(ciphertext, plaintext);
		return plaintext;
	}

	private String decryptUncached(String ciphertext) {
		Matcher matcher = FORMAT.matcher(ciphertext);
		if (!matcher.matches()) {
			throw new CiphertextException("The value is not a ciphertext of ours (expected v<version>:<base64>)");
		}
		int version = Integer.parseInt(matcher.group(1));
		Key key = this.keys.get(version);
		if (key == null) {
			throw new CiphertextException("The value is encrypted under master password version " + version
					+ ", which is not configured (configured: " + this.keys.keySet() + ")");
		}
		byte[] body;
		try {
			body = Base64.getDecoder().decode(matcher.group(2));
		}
		catch (IllegalArgumentException ex) {
			throw new CiphertextException("The value is not a ciphertext of ours (bad Base64)");
		}
		int encryptedLength = body.length - MAC_LENGTH;
		if (encryptedLength < SALT_AND_IV_LENGTH + AES_BLOCK || (encryptedLength - SALT_AND_IV_LENGTH) % AES_BLOCK != 0) {
			throw new CiphertextException("The value is not a ciphertext of ours (bad length)");
		}
		byte[] encrypted = new byte[encryptedLength];
		System.arraycopy(body, 0, encrypted, 0, encryptedLength);
		byte[] mac = new byte[MAC_LENGTH];
		System.arraycopy(body, encryptedLength, mac, 0, MAC_LENGTH);
		if (!MessageDigest.isEqual(mac, key.mac(prefix(version), encrypted))) {
			throw new CiphertextException("The value was altered, or was encrypted under another master password "
					+ "than the configured version " + version);
		}
		try {
			return new String(key.encryptor.decrypt(encrypted), StandardCharsets.UTF_8);
		}
		catch (EncryptionOperationNotPossibleException ex) {
			// Unreachable unless the MAC key and the encryption key disagree: the MAC already authenticated the value.
			throw new CiphertextException("The value cannot be decrypted under master password version " + version);
		}
	}

	/** Whether {@code value} looks like one of our ciphertexts (it may still fail to decrypt). */
	public static boolean isCiphertext(@Nullable String value) {
		return value != null && FORMAT.matcher(value).matches();
	}

	/** Whether {@code value} is a ciphertext under the current master password version. */
	public boolean isCurrent(@Nullable String value) {
		return isCiphertext(value) && value.startsWith(prefix(this.currentVersion));
	}

	/** The master password version a ciphertext names, or 0 if {@code value} is not a ciphertext. */
	public static int versionOf(@Nullable String value) {
		if (value == null) {
			return 0;
		}
		Matcher matcher = FORMAT.matcher(value);
		return matcher.matches() ? Integer.parseInt(matcher.group(1)) : 0;
	}

	private static String prefix(int version) {
		return "v" + version + ":";
	}

	@Override
	public String toString() {
		return "SecretCipher[currentVersion=" + this.currentVersion + ", versions=" + this.keys.keySet() + "]";
	}

	private static final class Key {

		private final int version;

		private final PooledPBEByteEncryptor encryptor;

		private final SecretKeySpec macKey;

		Key(int version, String password) {
			this.version = version;
			this.encryptor = new PooledPBEByteEncryptor();
			// Jasypt serializes each encryptor's work: one per core lets cache misses run in parallel.
			this.encryptor.setPoolSize(Math.max(2, Runtime.getRuntime().availableProcessors()));
			this.encryptor.setAlgorithm(ALGORITHM);
			this.encryptor.setPassword(password);
			this.encryptor.setKeyObtentionIterations(ITERATIONS);
			// Never Jasypt's defaults (a fixed or no IV): a fresh random salt and IV for every value.
			this.encryptor.setSaltGenerator(new RandomSaltGenerator("DRBG"));
			this.encryptor.setIvGenerator(new RandomIvGenerator("DRBG"));
			this.macKey = deriveMacKey(version, password);
		}

		byte[] mac(String prefix, byte[] encrypted) {
			try {
				Mac mac = Mac.getInstance("HmacSHA256");
				mac.init(this.macKey);
				mac.update(prefix.getBytes(StandardCharsets.US_ASCII));
				return mac.doFinal(encrypted);
			}
			catch (NoSuchAlgorithmException | InvalidKeyException ex) {
				throw new IllegalStateException("HmacSHA256 is required of every Java runtime", ex);
			}
		}

		// A key of its own for the MAC, derived once per version: the salt is fixed, and it only separates this key
		// from the per-value encryption keys, which use random salts.
		private static SecretKeySpec deriveMacKey(int version, String password) {
			byte[] salt = ("dev.authserver.crypto/hmac-sha256/v" + version).getBytes(StandardCharsets.US_ASCII);
			PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, ITERATIONS, 256);
			try {
				byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(spec).getEncoded();
				return new SecretKeySpec(key, "HmacSHA256");
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException("PBKDF2WithHmacSHA512 is required of every Java runtime", ex);
			}
			finally {
				spec.clearPassword();
			}
		}

	}

	/** A bounded map that forgets the least recently used entry first. */
	private static final class LruCache {

		private final int maxSize;

		private final LinkedHashMap<String, String> entries = new LinkedHashMap<>(16, 0.75f, true);

		LruCache(int maxSize) {
			this.maxSize = maxSize;
		}

		synchronized @Nullable String get(String ciphertext) {
			return this.entries.get(ciphertext);
		}

		synchronized void put(String ciphertext, String plaintext) {
			if (this.maxSize == 0) {
				return;
			}
			this.entries.put(ciphertext, plaintext);
			if (this.entries.size() > this.maxSize) {
				this.entries.remove(this.entries.keySet().iterator().next());
			}
		}

	}

}
