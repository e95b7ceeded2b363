package dev.authserver.clients;

import org.jspecify.annotations.Nullable;

/**
 * Tells whether a value taken from a request could be a stored identifier or token at all.
 */
public final class LookupKeys {

	private LookupKeys() {
	}

	/** Non-empty, at most {@code maxLength} characters, and no control characters (NUL breaks PostgreSQL text). */
	public static boolean isPlausible(@Nullable String value, int maxLength) {
		if (value == null || value.isEmpty() || value.length() > maxLength) {
			return false;
		}
		for (int i = 0; i < value.length(); i++) {
			if (Character.isISOControl(value.charAt(i))) {
				return false;
			}
		}
		return true;
	}

}
