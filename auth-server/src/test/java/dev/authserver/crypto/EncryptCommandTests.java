package dev.authserver.crypto;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command that turns a value into an {@code ENC(...)} for the configuration.
 */
class EncryptCommandTests {

	private static final String PASSWORD = "encrypt-command-master-password";

	private final ByteArrayOutputStream out = new ByteArrayOutputStream();

	private final ByteArrayOutputStream err = new ByteArrayOutputStream();

	@Test
	void runWhenMasterPasswordAndValueAreGivenThenPrintsAnEncValueTheServerCanDecrypt() throws Exception {
		int status = run("google-client-secret\n", Map.of("AUTHSERVER_MASTER_PASSWORD", PASSWORD,
				"AUTHSERVER_MASTER_PASSWORD_VERSION", "3"));

		assertThat(status).isZero();
		String printed = this.out.toString(StandardCharsets.UTF_8).trim();
		assertThat(printed).startsWith("ENC(v3:").endsWith(")").doesNotContain("google-client-secret");
		String ciphertext = printed.substring(4, printed.length() - 1);
		assertThat(new SecretCipher(3, Map.of(3, PASSWORD), 0).decrypt(ciphertext)).isEqualTo("google-client-secret");
	}

	@Test
	void runWhenNoMasterPasswordOrNoValueThenFailsWithStatus2() throws Exception {
		assertThat(run("value\n", Map.of())).isEqualTo(2);
		assertThat(this.err.toString(StandardCharsets.UTF_8)).contains("AUTHSERVER_MASTER_PASSWORD");
		assertThat(run("", Map.of("AUTHSERVER_MASTER_PASSWORD", PASSWORD))).isEqualTo(2);
		assertThat(this.out.toString(StandardCharsets.UTF_8)).isEmpty();
	}

	@Test
	void isRequestedWhenOptionIsOnTheCommandLineThenTrue() {
		assertThat(EncryptCommand.isRequested(new String[] { "--authserver.crypto.encrypt" })).isTrue();
		assertThat(EncryptCommand.isRequested(new String[] { "--server.port=9000" })).isFalse();
	}

	private int run(String input, Map<String, String> environment) throws Exception {
		return EncryptCommand.run(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
				new PrintStream(this.out, true, StandardCharsets.UTF_8),
				new PrintStream(this.err, true, StandardCharsets.UTF_8), environment);
	}

}
