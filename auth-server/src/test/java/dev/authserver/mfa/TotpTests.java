package dev.authserver.mfa;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 6238 test vectors (Appendix B, SHA-1) and the ±1 step window.
 */
class TotpTests {

	private static final byte[] RFC_SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

	@Test
	void codeWhenRfc6238VectorsThenMatches() {
		assertThat(Totp.code(RFC_SEED, 59 / 30, 8)).isEqualTo("94287082");
		assertThat(Totp.code(RFC_SEED, 1111111109L / 30, 8)).isEqualTo("07081804");
		assertThat(Totp.code(RFC_SEED, 1111111111L / 30, 8)).isEqualTo("14050471");
		assertThat(Totp.code(RFC_SEED, 1234567890L / 30, 8)).isEqualTo("89005924");
		assertThat(Totp.code(RFC_SEED, 2000000000L / 30, 8)).isEqualTo("69279037");
		assertThat(Totp.code(RFC_SEED, 20000000000L / 30, 8)).isEqualTo("65353130");
	}

	@Test
	void matchingStepWhenWithinOneStepThenMatchesElseNot() {
		String secret = Totp.base32(RFC_SEED);
		Instant now = Instant.ofEpochSecond(1111111111L);
		long step = Totp.stepOf(now);

		assertThat(Totp.matchingStep(secret, Totp.code(RFC_SEED, step, 6), now)).hasValue(step);
		assertThat(Totp.matchingStep(secret, Totp.code(RFC_SEED, step - 1, 6), now)).hasValue(step - 1);
		assertThat(Totp.matchingStep(secret, Totp.code(RFC_SEED, step + 1, 6), now)).hasValue(step + 1);
		assertThat(Totp.matchingStep(secret, Totp.code(RFC_SEED, step + 2, 6), now)).isEmpty();
		assertThat(Totp.matchingStep(secret, "12345", now)).isEmpty();
		assertThat(Totp.matchingStep(secret, "abcdef", now)).isEmpty();
	}

	@Test
	void base32WhenRoundTripThenSameBytes() {
		assertThat(Totp.base32(RFC_SEED)).isEqualTo("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
		assertThat(Totp.base32Decode(Totp.base32(RFC_SEED))).isEqualTo(RFC_SEED);
		assertThat(Totp.base32Decode(Totp.newSecret())).hasSize(20);
	}

}
