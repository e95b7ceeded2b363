package dev.authserver.users;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A feature's ways to sign in to an account besides its password (provider identities, passkeys, an authenticator
 * app), as a password reset shows them and removes them: a reset must not leave a way in that someone else added.
 * <p>
 * The features that own those ways implement it ({@code federation}, {@code mfa}); {@code users} only consumes it,
 * so that it imports neither of them.
 */
public interface SignInMethods {

	/** The account's ways to sign in this feature owns, oldest first. */
	List<SignInMethod> of(UUID userAccountId);

	/**
	 * Removes one of the account's ways to sign in, audited like its removal on the account page. Something of
	 * another account, or that is not {@link SignInMethod#removableByReset()}, is left alone.
	 * @param id a {@link SignInMethod#id()} returned by {@link #of(UUID)} for this account
	 * @return whether it was removed
	 */
	boolean remove(UUID userAccountId, String id, @Nullable String remoteAddress);

	/**
	 * One way to sign in, as its owner sees it: never a secret.
	 * @param id unique among all features' ways (prefix it with the kind: {@code passkey:...})
	 * @param description what the person recognises: "GitHub account octocat", "Passkey “Laptop”"
	 * @param addedAt when it was added, when known
	 * @param removableByReset whether a reset link may remove it (a second factor may not: see
	 * {@code docs/decisions.md})
	 */
	record SignInMethod(String id, String description, @Nullable Instant addedAt, boolean removableByReset) {

		private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

		/** The day it was added (UTC), for pages and mails. */
		public String addedOn() {
			return (this.addedAt != null) ? DAY.format(this.addedAt) : "an unknown date";
		}

	}

}
