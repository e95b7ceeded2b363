package dev.authserver.crypto;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The master password settings: what is refused, with a message that never shows a password.
 */
class CryptoPropertiesTests {

	private static final String PASSWORD = "a-long-enough-master-password";

	@Test
	void createCipherWhenNoMasterPasswordThenRefusedWithAClearMessage() {
		assertThatExceptionOfType(CryptoConfigurationException.class)
			.isThrownBy(() -> new CryptoProperties(null, 1, null, null, 0).createCipher(0))
			.withMessageContaining("No master password")
			.withMessageContaining("authserver.crypto.master-password");
		assertThatExceptionOfType(CryptoConfigurationException.class)
			.isThrownBy(() -> new CryptoProperties("  ", 1, null, null, 0).createCipher(0));
	}

	@Test
	void createCipherWhenPasswordTooShortThenRefusedWithoutShowingIt() {
		assertThatExceptionOfType(CryptoConfigurationException.class)
			.isThrownBy(() -> new CryptoProperties("short-secret", 1, null, null, 0).createCipher(0))
			.withMessageContaining("too short")
			.withMessageNotContaining("short-secret");
	}

	@Test
	void createCipherWhenPreviousPasswordGivenThenItIsTheVersionBeforeByDefault() {
		SecretCipher v1 = new CryptoProperties("previous-master-password", 1, null, null, 0).createCipher(0);
		String old = v1.encrypt("secret");

		SecretCipher v2 = new CryptoProperties(PASSWORD, 2, "previous-master-password", null, 0).createCipher(0);

		assertThat(v2.currentVersion()).isEqualTo(2);
		assertThat(v2.decrypt(old)).isEqualTo("secret");
	}

	@Test
	void createCipherWhenPreviousVersionClashesWithCurrentThenRefused() {
		assertThatExceptionOfType(CryptoConfigurationException.class)
			.isThrownBy(() -> new CryptoProperties(PASSWORD, 1, "previous-master-password", null, 0).createCipher(0))
			.withMessageContaining("version");
		assertThatExceptionOfType(CryptoConfigurationException.class)
			.isThrownBy(() -> new CryptoProperties(PASSWORD, 3, "previous-master-password", 3, 0).createCipher(0));
	}

	@Test
	void toStringWhenPrintedThenPasswordsAreMasked() {
		String printed = new CryptoProperties(PASSWORD, 2, "previous-master-password", 1, 10).toString();

		assertThat(printed).doesNotContain(PASSWORD).doesNotContain("previous-master-password").contains("******");
	}

}
