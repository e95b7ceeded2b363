package dev.authserver.mfa;

import java.time.Instant;
import java.util.UUID;

/**
 * A user account's passkey (WebAuthn credential) was deleted.
 */
public record PasskeyRemoved(UUID userAccountId, Instant removedAt) {
}
