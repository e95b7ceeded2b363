package dev.authserver.mfa;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A code given at the second sign-in step was refused (wrong, already used, or blank). The code itself is never
 * part of the event.
 *
 * @param method what the code looked like: {@code totp} (six digits) or {@code recovery_code}
 */
public record SecondFactorFailed(UUID userAccountId, String method, @Nullable String remoteAddress,
		Instant failedAt) {
}
