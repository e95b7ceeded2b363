package dev.authserver.crypto;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The stored digest formats, against the FIPS 180-2 test vector for "abc". */
class DigestsTests {

	private static final String ABC_HEX = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

	@Test
	void sha256WhenAbcThenFipsVector() {
		assertThat(Digests.sha256("abc")).isEqualTo(HexFormat.of().parseHex(ABC_HEX));
	}

	@Test
	void sha256HexWhenAbcThenLowercaseHex() {
		assertThat(Digests.sha256Hex("abc")).isEqualTo(ABC_HEX);
	}

	@Test
	void sha256Base64UrlWhenAbcThenUnpaddedBase64Url() {
		assertThat(Digests.sha256Base64Url("abc")).isEqualTo("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
	}

}
