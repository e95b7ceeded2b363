package dev.authserver.mfa;

import java.time.Instant;
import java.util.UUID;

/**
 * A user account confirmed a TOTP authenticator as its second factor.
 */
public record TotpEnrolled(UUID userAccountId, Instant enrolledAt) {
}
