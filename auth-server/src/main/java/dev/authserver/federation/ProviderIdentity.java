package dev.authserver.federation;

import java.io.Serializable;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * What a provider said about the person who just signed in there.
 *
 * @param subject the provider's stable identifier: Google {@code sub}, GitHub numeric {@code id}
 * @param emailVerified whether the provider verified {@code email}; an unverified email never matches an account
 */
record ProviderIdentity(String registrationId, String subject, @Nullable String email, boolean emailVerified,
		@Nullable String login, @Nullable String displayName, @Nullable String avatarUrl) implements Serializable {

	/** The email to match local accounts with: only a verified one, lower-cased like {@code UserAccounts} does. */
	@Nullable String verifiedEmail() {
		return (this.emailVerified && this.email != null) ? this.email.trim().toLowerCase(Locale.ROOT) : null;
	}

}
