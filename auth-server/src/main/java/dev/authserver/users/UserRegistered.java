package dev.authserver.users;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A person signed up and verified their address: the account now exists.
 */
public record UserRegistered(UUID userAccountId, @Nullable String remoteAddress, Instant registeredAt) {
}
