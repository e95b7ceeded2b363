package dev.authserver.keys;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Published when a new key took over signing from the previous one, once, by the instance that recorded it.
 *
 * @param previousKid the key that signed until {@code rotatedAt}, now RETIRED (null only if there was none)
 * @param newKid the key that signs since {@code rotatedAt}, now ACTIVE
 * @param rotatedAt when the new key started signing
 */
public record SigningKeyRotated(@Nullable String previousKid, String newKid, Instant rotatedAt) {
}
