package dev.authserver.users;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * The rules a new password must meet (NIST SP 800-63B §5.1.1.2): a minimum and a maximum length, not one of the
 * bundled common and breached passwords, and not built from the person's username or email.
 * <p>
 * CAUTION: bcrypt only reads the first 72 bytes of a password (and Spring's encoder refuses longer ones), so the
 * maximum is also 72 bytes of UTF-8, whatever the configured number of characters.
 */
@Component
public class PasswordPolicy {

	static final int BCRYPT_MAX_BYTES = 72;

	private final UsersProperties properties;

	private final Set<String> commonPasswords;

	PasswordPolicy(UsersProperties properties) {
		this.properties = properties;
		this.commonPasswords = load("users/common-passwords.txt");
	}

	/**
	 * What is wrong with a new password, in words for the person choosing it; empty when it is acceptable.
	 * @param identifiers the account's username, email, name: the password must not be built from them
	 */
	public List<String> violations(String password, @Nullable String... identifiers) {
		List<String> violations = new ArrayList<>();
		int length = password.codePointCount(0, password.length());
		if (length < this.properties.passwordMinLength()) {
			violations.add("Use at least " + this.properties.passwordMinLength() + " characters.");
		}
		if (length > this.properties.passwordMaxLength()
				|| password.getBytes(StandardCharsets.UTF_8).length > BCRYPT_MAX_BYTES) {
			violations.add("Use at most " + this.properties.passwordMaxLength() + " characters.");
		}
		String lower = password.toLowerCase(Locale.ROOT);
		if (this.commonPasswords.contains(lower) || this.commonPasswords.contains(lower.strip())) {
			violations.add("This password is too common: it appears in lists of leaked passwords.");
		}
		else if (isSimilar(lower, identifiers)) {
			violations.add("Do not use your username, email or name in your password.");
		}
		return violations;
	}

	private static boolean isSimilar(String lowerPassword, @Nullable String... identifiers) {
		String compact = lowerPassword.replaceAll("[^\\p{L}\\p{N}]", "");
		for (String identifier : identifiers) {
			if (identifier == null) {
				continue;
			}
			for (String part : parts(identifier.toLowerCase(Locale.ROOT))) {
				if (part.length() >= 4 && (compact.contains(part) || part.contains(compact))) {
					return true;
				}
			}
		}
		return false;
	}

	// "ada.lovelace@example.com" -> the address, its local part and its words: "adalovelace", "ada", "lovelace"...
	private static List<String> parts(String identifier) {
		List<String> parts = new ArrayList<>();
		int at = identifier.indexOf('@');
		String local = (at >= 0) ? identifier.substring(0, at) : identifier;
		parts.add(local.replaceAll("[^\\p{L}\\p{N}]", ""));
		for (String word : local.split("[^\\p{L}\\p{N}]+")) {
			parts.add(word);
		}
		return parts;
	}

	private static Set<String> load(String resource) {
		Set<String> passwords = new HashSet<>();
		try (InputStream in = new ClassPathResource(resource).getInputStream();
				BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				if (!line.isBlank() && !line.startsWith("#")) {
					passwords.add(line.strip());
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return passwords;
	}

}
