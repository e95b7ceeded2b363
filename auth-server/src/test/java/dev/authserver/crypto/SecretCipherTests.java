package dev.authserver.crypto;

import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The cipher's format and guarantees: round trip, fresh salt and IV per value, versions, tampering, wrong passwords.
 */
class SecretCipherTests {

	private static final String PASSWORD_V1 = "first-master-password-0123456789";

	private static final String PASSWORD_V2 = "second-master-password-987654321";

	private final SecretCipher v1 = new SecretCipher(1, Map.of(1, PASSWORD_V1), 100);

	@Test
	void encryptWhenDecryptedThenRoundTrips() {
		String secret = "client-secret-\u00e9\u4e2d\ud83d\udd11";

		String ciphertext = this.v1.encrypt(secret);

		assertThat(ciphertext).startsWith("v1:").doesNotContain(secret);
		assertThat(this.v1.decrypt(ciphertext)).isEqualTo(secret);
		assertThat(new SecretCipher(1, Map.of(1, PASSWORD_V1), 0).decrypt(ciphertext)).isEqualTo(secret);
		assertThat(this.v1.decrypt(this.v1.encrypt(""))).isEmpty();
	}

	@Test
	void encryptWhenSameSecretTwiceThenCiphertextsDiffer() {
		String first = this.v1.encrypt("same secret");
		String second = this.v1.encrypt("same secret");

		assertThat(first).isNotEqualTo(second);
		byte[] firstBody = body(first);
		byte[] secondBody = body(second);
		// Salt (16 bytes) and IV (16 bytes) are both fresh: neither is shared.
		assertThat(java.util.Arrays.copyOfRange(firstBody, 0, 16))
			.isNotEqualTo(java.util.Arrays.copyOfRange(secondBody, 0, 16));
		assertThat(java.util.Arrays.copyOfRange(firstBody, 16, 32))
			.isNotEqualTo(java.util.Arrays.copyOfRange(secondBody, 16, 32));
	}

	@Test
	void decryptWhenCiphertextOfPreviousVersionAndItsPasswordIsConfiguredThenDecryptsAndNewValuesUseCurrent() {
		String old = this.v1.encrypt("old secret");
		SecretCipher rotated = new SecretCipher(2, Map.of(2, PASSWORD_V2, 1, PASSWORD_V1), 100);

		assertThat(rotated.decrypt(old)).isEqualTo("old secret");
		assertThat(rotated.isCurrent(old)).isFalse();
		String fresh = rotated.encrypt("old secret");
		assertThat(fresh).startsWith("v2:");
		assertThat(rotated.isCurrent(fresh)).isTrue();
		assertThat(SecretCipher.versionOf(fresh)).isEqualTo(2);
		assertThat(SecretCipher.versionOf("plain")).isZero();
	}

	@Test
	void decryptWhenVersionIsNotConfiguredThenRefusedNamingTheVersion() {
		String old = this.v1.encrypt("old secret");
		SecretCipher onlyV2 = new SecretCipher(2, Map.of(2, PASSWORD_V2), 100);

		assertThatExceptionOfType(CiphertextException.class).isThrownBy(() -> onlyV2.decrypt(old))
			.withMessageContaining("version 1")
			.withMessageContaining("not configured");
	}

	@Test
	void decryptWhenAnyByteIsAlteredThenRefused() {
		String ciphertext = this.v1.encrypt("a secret that must not change");
		byte[] body = body(ciphertext);
		// Every byte of salt, IV, ciphertext and MAC: CBC alone would not notice a changed IV byte.
		for (int i = 0; i < body.length; i++) {
			byte[] altered = body.clone();
			altered[i] ^= 0x01;
			String tampered = "v1:" + Base64.getEncoder().encodeToString(altered);
			assertThatExceptionOfType(CiphertextException.class).as("byte " + i)
				.isThrownBy(() -> this.v1.decrypt(tampered))
				.withMessageContaining("altered");
		}
	}

	@Test
	void decryptWhenTruncatedExtendedOrRelabelledThenRefused() {
		String ciphertext = this.v1.encrypt("a secret");
		SecretCipher both = new SecretCipher(2, Map.of(1, PASSWORD_V1, 2, PASSWORD_V2), 100);
		byte[] body = body(ciphertext);

		assertThatExceptionOfType(CiphertextException.class)
			.isThrownBy(() -> both.decrypt("v2:" + ciphertext.substring(3)));
		assertThatExceptionOfType(CiphertextException.class).isThrownBy(() -> this.v1
			.decrypt("v1:" + Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(body, body.length - 16))));
		assertThatExceptionOfType(CiphertextException.class).isThrownBy(() -> this.v1
			.decrypt("v1:" + Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(body, body.length + 16))));
		for (String garbage : new String[] { "", "v1:", "v1:!!!", "v0:AAAA", "ENC(abc)", "plain-secret",
				"{sha256}abc", "v1:" + "A".repeat(200) }) {
			assertThatExceptionOfType(CiphertextException.class).as(garbage).isThrownBy(() -> this.v1.decrypt(garbage));
		}
	}

	@Test
	void decryptWhenEncryptedUnderAnotherPasswordOfTheSameVersionThenFailsClearly() {
		String ciphertext = this.v1.encrypt("a secret");
		SecretCipher wrong = new SecretCipher(1, Map.of(1, "not-the-right-master-password"), 100);

		assertThatExceptionOfType(CiphertextException.class).isThrownBy(() -> wrong.decrypt(ciphertext))
			.withMessageContaining("another master password")
			.withMessageNotContaining("a secret");
	}

	@Test
	void constructorWhenPasswordTooShortOrCurrentVersionMissingThenRefused() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> new SecretCipher(1, Map.of(1, "short"), 0));
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> new SecretCipher(2, Map.of(1, PASSWORD_V1), 0));
	}

	@Test
	void toStringWhenPrintedThenShowsNoPassword() {
		assertThat(this.v1.toString()).doesNotContain(PASSWORD_V1);
	}

	private static byte[] body(String ciphertext) {
		return Base64.getDecoder().decode(ciphertext.substring(ciphertext.indexOf(':') + 1));
	}

}
