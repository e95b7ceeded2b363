package dev.authserver.throttling;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Too many attempts at a door: the account (or unknown login, or mail address) or the client address is locked
 * until {@code lockedUntil}.
 *
 * @param userAccountId the account's id when the locked key is a known account, otherwise {@code null} (typed
 * logins are never recorded: people type passwords into the username field)
 * @param remoteAddress the client address when it is the address that is locked
 */
public record SignInLockedOut(String door, @Nullable String userAccountId, @Nullable String remoteAddress,
		Instant lockedAt, Instant lockedUntil) {
}
