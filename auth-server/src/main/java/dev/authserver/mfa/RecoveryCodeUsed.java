package dev.authserver.mfa;

import java.time.Instant;
import java.util.UUID;

/**
 * A user account signed in with one of its single-use recovery codes instead of its authenticator.
 *
 * @param remaining the unused recovery codes left
 */
public record RecoveryCodeUsed(UUID userAccountId, int remaining, Instant usedAt) {
}
