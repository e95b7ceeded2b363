package dev.authserver.crypto;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code ENC(...)} values in configuration, the dev profile's generated master password, and the re-encryption
 * command's settings.
 */
class CryptoEnvironmentPostProcessorTests {

	private static final String PASSWORD = "config-master-password-0123456789";

	private final SecretCipher cipher = new SecretCipher(1, Map.of(1, PASSWORD), 0);

	private final CryptoEnvironmentPostProcessor postProcessor = new CryptoEnvironmentPostProcessor(
			(DeferredLogFactory) Supplier::get);

	@TempDir
	Path dataDir;

	@Test
	void postProcessWhenValuesAreEncryptedThenTheyAreDecryptedAndPrecedenceIsKept() {
		StandardEnvironment environment = environment();
		environment.getPropertySources()
			.addLast(new MapPropertySource("arguments", Map.of("overridden", "plain from arguments")));
		environment.getPropertySources()
			.addLast(new MapPropertySource("file",
					Map.of("authserver.crypto.master-password", PASSWORD, "google.client-secret",
							"ENC(" + this.cipher.encrypt("google secret") + ")", "overridden",
							"ENC(" + this.cipher.encrypt("lower value") + ")", "reference", "${google.client-secret}",
							"plain", "not encrypted")));

		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());

		assertThat(environment.getProperty("google.client-secret")).isEqualTo("google secret");
		assertThat(environment.getProperty("reference")).isEqualTo("google secret");
		assertThat(environment.getProperty("overridden")).isEqualTo("plain from arguments");
		assertThat(environment.getProperty("plain")).isEqualTo("not encrypted");
	}

	@Test
	void postProcessWhenAnEnvironmentVariableIsEncryptedThenRelaxedBindingSeesTheClearValue() {
		StandardEnvironment environment = environment();
		environment.getPropertySources()
			.addLast(new SystemEnvironmentPropertySource("systemEnvironment",
					Map.of("AUTHSERVER_MASTER_PASSWORD", PASSWORD, "GITHUB_CLIENTSECRET",
							"ENC(" + this.cipher.encrypt("github secret") + ")")));
		environment.getPropertySources()
			.addLast(new MapPropertySource("file",
					Map.of("authserver.crypto.master-password", "${AUTHSERVER_MASTER_PASSWORD:}")));

		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());

		assertThat(Binder.get(environment).bind("github.client-secret", String.class).get()).isEqualTo("github secret");
	}

	@Test
	void postProcessWhenEncryptedValueCannotBeDecryptedThenStartupFailsNamingThePropertyOnly() {
		String ciphertext = new SecretCipher(1, Map.of(1, "another-master-password-000000"), 0).encrypt("value");
		StandardEnvironment environment = environment();
		environment.getPropertySources()
			.addLast(new MapPropertySource("file", Map.of("authserver.crypto.master-password", PASSWORD,
					"some.secret", "ENC(" + ciphertext + ")")));

		assertThatExceptionOfType(CryptoConfigurationException.class)
			.isThrownBy(() -> this.postProcessor.postProcessEnvironment(environment, new SpringApplication()))
			.withMessageContaining("some.secret")
			.withMessageNotContaining(ciphertext)
			.withMessageNotContaining(PASSWORD);
	}

	@Test
	void postProcessWhenEncryptedValueAndNoMasterPasswordThenStartupFailsClearly() {
		StandardEnvironment environment = environment();
		environment.getPropertySources()
			.addLast(new MapPropertySource("file", Map.of("some.secret", "ENC(" + this.cipher.encrypt("x") + ")")));

		assertThatExceptionOfType(CryptoConfigurationException.class)
			.isThrownBy(() -> this.postProcessor.postProcessEnvironment(environment, new SpringApplication()))
			.withMessageContaining("some.secret")
			.withMessageContaining("No master password");
	}

	@Test
	void postProcessWhenDevProfileHasNoMasterPasswordThenOneIsGeneratedUnderTheDataDirAndReused() throws Exception {
		StandardEnvironment first = devEnvironment();
		this.postProcessor.postProcessEnvironment(first, new SpringApplication());
		String generated = first.getProperty("authserver.crypto.master-password");

		Path file = this.dataDir.resolve("master-password");
		assertThat(generated).hasSizeGreaterThanOrEqualTo(43);
		assertThat(Files.readString(file)).isEqualTo(generated);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		StandardEnvironment second = devEnvironment();
		this.postProcessor.postProcessEnvironment(second, new SpringApplication());
		assertThat(second.getProperty("authserver.crypto.master-password")).isEqualTo(generated);
	}

	@Test
	void postProcessWhenNotDevAndNoMasterPasswordThenNothingIsGenerated() {
		StandardEnvironment environment = environment();
		environment.getPropertySources()
			.addLast(new MapPropertySource("file", Map.of("authserver.data-dir", this.dataDir.toString())));

		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());

		assertThat(environment.getProperty("authserver.crypto.master-password")).isNull();
		assertThat(this.dataDir.resolve("master-password")).doesNotExist();
	}

	@Test
	void postProcessWhenReencryptionIsRequestedThenNoWebServerIsStarted() {
		StandardEnvironment environment = environment();
		environment.getPropertySources()
			.addLast(new MapPropertySource("arguments", Map.of("authserver.crypto.reencrypt", "")));

		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());

		assertThat(environment.getProperty("spring.main.web-application-type")).isEqualTo("none");
	}

	private StandardEnvironment devEnvironment() {
		StandardEnvironment environment = environment();
		environment.setActiveProfiles("dev");
		environment.getPropertySources()
			.addLast(new MapPropertySource("file", Map.of("authserver.data-dir", this.dataDir.toString(),
					"authserver.crypto.master-password", "")));
		return environment;
	}

	private static StandardEnvironment environment() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
		ConfigurationPropertySources.attach(environment);
		return environment;
	}

}
