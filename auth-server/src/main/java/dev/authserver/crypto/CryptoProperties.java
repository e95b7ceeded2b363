package dev.authserver.crypto;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;
import org.springframework.validation.annotation.Validated;

/**
 * The master passwords of the {@link SecretCipher}, bound under {@code authserver.crypto.*}.
 * <p>
 * The passwords are checked in code ({@link #createCipher}), not with bean validation, so that no failure message
 * can ever print a password's value.
 *
 * @param masterPassword the current master password ({@code AUTHSERVER_MASTER_PASSWORD}): new values are encrypted
 * under it. Required outside the {@code dev} profile
 * @param masterPasswordVersion the current password's version ({@code AUTHSERVER_MASTER_PASSWORD_VERSION}), named in
 * every ciphertext; raise it by one with each new master password
 * @param previousMasterPassword the password of an earlier version ({@code AUTHSERVER_PREVIOUS_MASTER_PASSWORD}),
 * kept only while its values are re-encrypted
 * @param previousMasterPasswordVersion its version ({@code AUTHSERVER_PREVIOUS_MASTER_PASSWORD_VERSION}); by default
 * the current version minus one
 * @param cacheSize how many decrypted values each instance keeps in memory
 */
@Validated
@ConfigurationProperties("authserver.crypto")
public record CryptoProperties(@Nullable String masterPassword, @DefaultValue("1") @Min(1) int masterPasswordVersion,
		@Nullable String previousMasterPassword, @Nullable Integer previousMasterPasswordVersion,
		@DefaultValue("10000") @Min(0) int cacheSize) {

	/** The property that holds the current master password. */
	public static final String MASTER_PASSWORD_PROPERTY = "authserver.crypto.master-password";

	/**
	 * The cipher these settings describe.
	 * @throws CryptoConfigurationException if the master password is missing or too short, or the versions clash
	 */
	public SecretCipher createCipher(int cacheSize) {
		if (!StringUtils.hasText(this.masterPassword)) {
			throw new CryptoConfigurationException("No master password is configured (" + MASTER_PASSWORD_PROPERTY
					+ " is empty). Secrets at rest cannot be encrypted or decrypted without it.");
		}
		Map<Integer, String> passwords = new LinkedHashMap<>();
		passwords.put(this.masterPasswordVersion, this.masterPassword);
		if (StringUtils.hasText(this.previousMasterPassword)) {
			int previousVersion = (this.previousMasterPasswordVersion != null) ? this.previousMasterPasswordVersion
					: this.masterPasswordVersion - 1;
			if (previousVersion < 1 || previousVersion == this.masterPasswordVersion) {
				throw new CryptoConfigurationException("The previous master password needs a version of its own, at "
						+ "least 1 and other than the current version " + this.masterPasswordVersion + " (got "
						+ previousVersion + ").");
			}
			passwords.put(previousVersion, this.previousMasterPassword);
		}
		passwords.forEach((version, password) -> {
			if (password.length() < SecretCipher.MIN_PASSWORD_LENGTH) {
				throw new CryptoConfigurationException("The master password of version " + version + " is too short: "
						+ "use at least " + SecretCipher.MIN_PASSWORD_LENGTH + " characters (e.g. the output of "
						+ "'openssl rand -base64 32').");
			}
		});
		return new SecretCipher(this.masterPasswordVersion, passwords, cacheSize);
	}

	// Records print every component: never the passwords.
	@Override
	public String toString() {
		return "CryptoProperties[masterPassword=" + mask(this.masterPassword) + ", masterPasswordVersion="
				+ this.masterPasswordVersion + ", previousMasterPassword=" + mask(this.previousMasterPassword)
				+ ", previousMasterPasswordVersion=" + this.previousMasterPasswordVersion + ", cacheSize="
				+ this.cacheSize + "]";
	}

	private static String mask(@Nullable String password) {
		return StringUtils.hasText(password) ? "******" : "(none)";
	}

}
