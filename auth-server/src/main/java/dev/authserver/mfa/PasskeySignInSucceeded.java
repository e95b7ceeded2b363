package dev.authserver.mfa;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A person signed in with one of the account's passkeys (on its own, or as the second step after a password).
 */
public record PasskeySignInSucceeded(UUID userAccountId, @Nullable String remoteAddress, Instant signedInAt) {
}
