package dev.authserver.mfa;

import java.time.Instant;
import java.util.UUID;

/**
 * A user account's TOTP authenticator and its recovery codes were removed.
 */
public record TotpRemoved(UUID userAccountId, Instant removedAt) {
}
