package dev.authserver.mfa;

import java.time.Instant;
import java.util.UUID;

/**
 * A user account registered a passkey (WebAuthn credential).
 */
public record PasskeyRegistered(UUID userAccountId, String label, Instant registeredAt) {
}
