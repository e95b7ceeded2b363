package dev.authserver.clients;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Client secrets compared in clear, in constant time, with legacy {@code {sha256}} hashes still verified once.
 */
class ClientSecretEncoderTests {

	private final ClientSecretEncoder encoder = new ClientSecretEncoder();

	@Test
	void matchesWhenSecretsAreEqualThenTrueAndOtherwiseFalse() {
		assertThat(this.encoder.matches("s3cret-value", "s3cret-value")).isTrue();
		assertThat(this.encoder.matches("s3cret-valuf", "s3cret-value")).isFalse();
		assertThat(this.encoder.matches("s3cret-value-longer", "s3cret-value")).isFalse();
		assertThat(this.encoder.matches("", "s3cret-value")).isFalse();
		assertThat(this.encoder.matches("s3cret-value", null)).isFalse();
		assertThat(this.encoder.matches(null, "s3cret-value")).isFalse();
	}

	@Test
	void matchesWhenStoredValueIsALegacyHashThenVerifiesItAndAsksForAnUpgrade() throws Exception {
		String legacy = "{sha256}" + HexFormat.of()
			.formatHex(MessageDigest.getInstance("SHA-256").digest("old-secret".getBytes(StandardCharsets.UTF_8)));

		assertThat(this.encoder.matches("old-secret", legacy)).isTrue();
		assertThat(this.encoder.matches("other-secret", legacy)).isFalse();
		// The hash itself is not the secret.
		assertThat(this.encoder.matches(legacy, legacy)).isFalse();
		assertThat(this.encoder.matches("old-secret", "{sha256}not-hex")).isFalse();
		assertThat(this.encoder.upgradeEncoding(legacy)).isTrue();
	}

	@Test
	void upgradeEncodingWhenStoredValueIsClearThenFalse() {
		assertThat(this.encoder.upgradeEncoding("s3cret-value")).isFalse();
		assertThat(this.encoder.upgradeEncoding(null)).isFalse();
	}

	@Test
	void encodeWhenCalledThenReturnsTheSecretForTheRepositoryToEncrypt() {
		assertThat(this.encoder.encode("s3cret-value")).isEqualTo("s3cret-value");
	}

}
