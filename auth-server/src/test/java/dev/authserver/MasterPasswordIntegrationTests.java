package dev.authserver;

import java.nio.file.Path;
import java.util.Map;

import dev.authserver.crypto.CryptoConfigurationException;
import dev.authserver.crypto.SecretCipher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The master password at start-up: production refuses to start without one, and {@code ENC(...)} values in the
 * configuration are decrypted with it before anything reads them (here the database password itself).
 */
@ExtendWith(OutputCaptureExtension.class)
class MasterPasswordIntegrationTests {

	private static final String TEST_MASTER_PASSWORD = "test-master-password-0123456789abcdef";

	@TempDir
	Path dataDir;

	@Test
	void whenNoMasterPasswordIsConfiguredOutsideTheDevProfileThenTheServerRefusesToStartAndSaysWhy(
			CapturedOutput output) {
		int port = IntegrationTestSupport.freePort();

		Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(AuthServerApplication.class)
			.profiles("default")
			.run("--server.port=" + port, "--authserver.issuer=http://localhost:" + port,
					"--authserver.data-dir=" + this.dataDir, "--authserver.crypto.master-password="));

		assertThat(NestedExceptionUtils.getMostSpecificCause(failure)).isInstanceOf(CryptoConfigurationException.class)
			.hasMessageContaining("No master password");
		assertThat(output).contains("APPLICATION FAILED TO START").contains("AUTHSERVER_MASTER_PASSWORD");
		assertThat(this.dataDir.resolve("master-password")).doesNotExist();
	}

	@Test
	void whenAPropertyIsEncEncryptedThenTheServerUsesTheDecryptedValue(CapturedOutput output) {
		SecretCipher cipher = new SecretCipher(1, Map.of(1, TEST_MASTER_PASSWORD), 0);
		String databasePassword = TestDatabase.password();
		int port = IntegrationTestSupport.freePort();

		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(AuthServerApplication.class)
			.profiles("test")
			.run("--server.port=" + port, "--authserver.issuer=http://localhost:" + port,
					"--authserver.crypto.master-password=" + TEST_MASTER_PASSWORD,
					"--spring.datasource.password=ENC(" + cipher.encrypt(databasePassword) + ")",
					"--authserver.test.greeting=ENC(" + cipher.encrypt("hello from ENC") + ")")) {
			assertThat(context.getEnvironment().getProperty("authserver.test.greeting")).isEqualTo("hello from ENC");
			assertThat(context.getBean(JdbcTemplate.class).queryForObject("SELECT 1", Integer.class)).isEqualTo(1);
		}
		assertThat(output).doesNotContain("hello from ENC");
	}

	@Test
	void whenAnEncValueWasEncryptedWithAnotherPasswordThenTheServerRefusesToStartNamingTheProperty() {
		SecretCipher other = new SecretCipher(1, Map.of(1, "some-other-master-password-0000"), 0);
		int port = IntegrationTestSupport.freePort();

		Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(AuthServerApplication.class)
			.profiles("test")
			.run("--server.port=" + port, "--authserver.issuer=http://localhost:" + port,
					"--authserver.crypto.master-password=" + TEST_MASTER_PASSWORD,
					"--authserver.test.greeting=ENC(" + other.encrypt("hello") + ")"));

		assertThat(failure).isInstanceOf(CryptoConfigurationException.class)
			.hasMessageContaining("authserver.test.greeting")
			.hasMessageContaining("another master password");
	}

}
