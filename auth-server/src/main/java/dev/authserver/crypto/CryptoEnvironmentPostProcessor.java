package dev.authserver.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.Profiles;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.StringUtils;

/**
 * An {@link EnvironmentPostProcessor} that prepares the configuration the cipher needs, before any bean exists.
 * <ol>
 * <li>In the {@code dev} profile only, when no master password is configured, it generates one and keeps it in
 * {@code <authserver.data-dir>/master-password}, so the quick start needs no setup and its data survives restarts.
 * Outside {@code dev} nothing is generated, and {@link CryptoConfiguration} refuses to start.</li>
 * <li>It decrypts {@code ENC(<ciphertext>)} values, in any property source, with the same cipher and master
 * password. (The {@code jasypt-spring-boot} starter does not run on Spring Boot 4.) Each source that holds such
 * values gets a source of decrypted values placed just before it, so precedence between sources is unchanged.</li>
 * <li>The re-encryption command ({@code --authserver.crypto.reencrypt}) runs without a web server, so it never
 * binds the port of a server running on the same host.</li>
 * </ol>
 */
class CryptoEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String GENERATED_PASSWORD_FILE = "master-password";

	private static final String ENC_PREFIX = "ENC(";

	private final Log logger;

	CryptoEnvironmentPostProcessor(DeferredLogFactory logFactory) {
		this.logger = logFactory.getLog(CryptoEnvironmentPostProcessor.class);
	}

	@Override
	public int getOrder() {
		// After the config data (application.yml, profiles) is loaded.
		return Ordered.LOWEST_PRECEDENCE - 10;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.acceptsProfiles(Profiles.of("dev"))
				&& !StringUtils.hasText(environment.getProperty(CryptoProperties.MASTER_PASSWORD_PROPERTY))) {
			useGeneratedMasterPassword(environment);
		}
		decryptEncryptedValues(environment);
		if (ReencryptionApplicationRunner.isRequested(environment)
				&& !environment.containsProperty("spring.main.web-application-type")) {
			environment.getPropertySources()
				.addFirst(new MapPropertySource("authserverReencryptionCommand",
						Map.of("spring.main.web-application-type", "none")));
		}
	}

	private void useGeneratedMasterPassword(ConfigurableEnvironment environment) {
		Path file = Path.of(environment.getProperty("authserver.data-dir", "./data")).resolve(GENERATED_PASSWORD_FILE);
		String password;
		try {
			password = readOrCreate(file);
		}
		catch (IOException ex) {
			throw new CryptoConfigurationException("The dev profile could not keep a generated master password in "
					+ file.toAbsolutePath() + ": " + ex.getMessage(), ex);
		}
		environment.getPropertySources()
			.addFirst(new MapPropertySource("authserverDevMasterPassword",
					Map.of(CryptoProperties.MASTER_PASSWORD_PROPERTY, password)));
		// The path only, never the password.
		this.logger.warn("dev profile: no master password is configured, so secrets at rest are encrypted with a "
				+ "generated one kept in " + file.toAbsolutePath() + ". Never do this in production: set "
				+ "AUTHSERVER_MASTER_PASSWORD. Deleting that file makes the stored secrets unreadable.");
	}

	private static String readOrCreate(Path file) throws IOException {
		if (!Files.exists(file)) {
			Files.createDirectories(file.toAbsolutePath().getParent());
			byte[] random = new byte[32];
			new SecureRandom().nextBytes(random);
			String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
			try {
				Files.createFile(file);
				setOwnerOnly(file);
				Files.writeString(file, generated, StandardCharsets.US_ASCII);
				return generated;
			}
			catch (FileAlreadyExistsException ex) {
				// Another dev instance on the same data directory created it first: use theirs.
			}
		}
		String stored = Files.readString(file, StandardCharsets.US_ASCII).trim();
		if (stored.isEmpty()) {
			throw new IOException("the file is empty");
		}
		return stored;
	}

	private static void setOwnerOnly(Path file) throws IOException {
		try {
			Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
		}
		catch (UnsupportedOperationException ex) {
			// Not a POSIX file system (Windows): the file keeps the directory's permissions.
		}
	}

	private void decryptEncryptedValues(ConfigurableEnvironment environment) {
		SecretCipher cipher = null;
		List<PropertySource<?>> sources = new ArrayList<>();
		environment.getPropertySources().forEach(sources::add);
		for (PropertySource<?> source : sources) {
			if (!(source instanceof EnumerablePropertySource<?> enumerable)) {
				continue;
			}
			Map<String, Object> decrypted = new LinkedHashMap<>();
			for (String name : enumerable.getPropertyNames()) {
				String ciphertext = encryptedValue(enumerable.getProperty(name));
				if (ciphertext == null) {
					continue;
				}
				if (cipher == null) {
					cipher = cipher(environment, name);
				}
				try {
					decrypted.put(name, cipher.decrypt(ciphertext));
				}
				catch (CiphertextException ex) {
					throw new CryptoConfigurationException("The ENC(...) value of " + name + " (in " + source.getName()
							+ ") cannot be decrypted: " + ex.getMessage(), ex);
				}
			}
			if (!decrypted.isEmpty()) {
				// Environment variables keep their source type and a name ending in "-systemEnvironment", which is
				// how Spring Boot's relaxed binding recognizes them (SpringConfigurationPropertySource).
				String name = "decrypted-" + source.getName();
				PropertySource<?> decryptedSource = (source instanceof SystemEnvironmentPropertySource)
						? new SystemEnvironmentPropertySource(name, decrypted) : new MapPropertySource(name, decrypted);
				environment.getPropertySources().addBefore(source.getName(), decryptedSource);
				this.logger.debug("Decrypted " + decrypted.size() + " ENC(...) value(s) of " + source.getName());
			}
		}
	}

	private static @Nullable String encryptedValue(@Nullable Object value) {
		if (!(value instanceof CharSequence sequence)) {
			return null;
		}
		String text = sequence.toString().trim();
		if (!text.startsWith(ENC_PREFIX) || !text.endsWith(")")) {
			return null;
		}
		return text.substring(ENC_PREFIX.length(), text.length() - 1).trim();
	}

	private static SecretCipher cipher(ConfigurableEnvironment environment, String propertyName) {
		CryptoProperties properties = Binder.get(environment).bindOrCreate("authserver.crypto", CryptoProperties.class);
		try {
			// No cache: each ENC(...) value is decrypted once.
			return properties.createCipher(0);
		}
		catch (CryptoConfigurationException ex) {
			throw new CryptoConfigurationException(
					"The property " + propertyName + " is ENC(...)-encrypted, but " + ex.getMessage(), ex);
		}
	}

}
