package dev.authserver.mfa;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A passkey sign-in was refused: a bad or replayed signature, a credential the server does not know, or a disabled
 * account.
 *
 * @param userAccountId the account whose passkey it names, if the credential is known
 * @param reason a short code: {@code unknown_credential} or {@code refused}
 */
public record PasskeySignInFailed(@Nullable UUID userAccountId, String reason, @Nullable String remoteAddress,
		Instant failedAt) {
}
