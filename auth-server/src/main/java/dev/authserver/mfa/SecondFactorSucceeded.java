package dev.authserver.mfa;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A person gave a right code at the second sign-in step.
 *
 * @param method {@code totp} (a code from the authenticator app) or {@code recovery_code}
 */
public record SecondFactorSucceeded(UUID userAccountId, String method, @Nullable String remoteAddress,
		Instant verifiedAt) {
}
